/**
 * Data for the slow tests and the benchmark: CIFAR-10 test JPEGs and ImageNet sample photos from the
 * data bundle (ALIGNSCOPE_DATA_DIR), decoded with sharp to float32 CHW on the [0,1] scale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { requireDataDir } from '@alignscope/config';
import sharp from 'sharp';

export type Images = { x: Float32Array; y: Int32Array; files: string[]; shape: [number, number, number] };

async function decode(file: string, size: number | null, out: Float32Array, offset: number): Promise<void> {
  let img = sharp(readFileSync(file), { ignoreIcc: true }).removeAlpha().toColourspace('srgb');
  if (size !== null) {
    // shorter side to 256 (bilinear), centre crop `size` (the bundle's ImageNet cards)
    const meta = await sharp(readFileSync(file)).metadata();
    const w = meta.width as number;
    const h = meta.height as number;
    const s = Math.min(w, h);
    const nw = w <= h ? 256 : Math.round((w * 256) / s);
    const nh = w <= h ? Math.round((h * 256) / s) : 256;
    img = img.resize(nw, nh, { fit: 'fill', kernel: 'linear' }).extract({
      left: Math.floor((nw - size) / 2),
      top: Math.floor((nh - size) / 2),
      width: size,
      height: size,
    });
  }
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const hw = info.width * info.height;
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < hw; i++) out[offset + c * hw + i] = (data[i * 3 + c] as number) / 255;
  }
}

/** The first `perClass` test images (sorted file names) of each CIFAR-10 class, classes in index order. */
export async function cifarImages(perClass: number): Promise<Images> {
  const root = path.join(requireDataDir(), 'cifar10');
  const classes = readFileSync(path.join(root, 'classes.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, i) => {
    const dir = path.join(root, 'test', c);
    for (const f of readdirSync(dir).sort().slice(0, perClass)) {
      files.push(path.join(dir, f));
      labels.push(i);
    }
  });
  const d = 3 * 32 * 32;
  const x = new Float32Array(files.length * d);
  for (let i = 0; i < files.length; i++) await decode(files[i] as string, null, x, i * d);
  return { x, y: Int32Array.from(labels), files, shape: [3, 32, 32] };
}

/** The first n ImageNet sample photos (samples.csv order), 224x224 after Resize(256) + CenterCrop(224). */
export async function imagenetImages(n: number): Promise<Images> {
  const root = path.join(requireDataDir(), 'imagenet');
  const rows = readFileSync(path.join(root, 'samples.csv'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .slice(1, n + 1);
  const d = 3 * 224 * 224;
  const x = new Float32Array(rows.length * d);
  const files: string[] = [];
  const y = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [file, , classIndex] = (rows[i] as string).split(',');
    const p = path.join(root, 'samples', file as string);
    files.push(p);
    y[i] = Number(classIndex);
    await decode(p, 224, x, i * d);
  }
  return { x, y, files, shape: [3, 224, 224] };
}

export function modelPath(name: string): string {
  return path.join(requireDataDir(), 'models', `${name}.onnx`);
}
