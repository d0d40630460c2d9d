/**
 * Seeded pseudo-random numbers for the attacks. torch's RNG streams cannot be reproduced in
 * TypeScript; what matters is the distribution (uniform [0,1), standard normal) and that the same
 * seed gives the same stream. xoshiro128** (Blackman & Vigna 2018) seeded through splitmix32.
 */
/** A copy of an Rng's state: xoshiro128**'s four words and Box-Muller's cached second normal. */
export type RngState = {
  readonly s: readonly [number, number, number, number];
  readonly spare: number | undefined;
};

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`invalid seed ${seed}`);
    // splitmix32 over the seed's integer and fractional parts
    let h = (Math.floor(seed) ^ Math.floor((seed % 1) * 0x100000000)) >>> 0;
    const next = () => {
      h = (h + 0x9e3779b9) >>> 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    // the state is held as int32 (the same 32 bits as the uint32 words of the algorithm): V8 keeps
    // int32 fields unboxed, so a draw allocates nothing
    this.s0 = next() | 0;
    this.s1 = next() | 0;
    this.s2 = next() | 0;
    this.s3 = next() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The generator's whole state (a copy, as uint32 words): `restore` returns the stream to this point. */
  state(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  /** Continues the stream from a state taken with `state()` (of this or another Rng). */
  restore(st: RngState): void {
    const [a, b, c, d] = st.s;
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    this.spare = st.spare;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ this.s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = this.s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl(s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 24 random bits (like torch.rand in float32). */
  uniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** torch.sign(2 * rand - 1): -1, 0 (probability 2^-24) or 1. */
  sign(): number {
    const t = 2 * this.uniform() - 1;
    return t > 0 ? 1 : t < 0 ? -1 : 0;
  }

  /** The reference's random_int(low, high): low + floor((high - low) * U); never returns high. */
  int(low: number, high: number): number {
    return low + Math.trunc((high - low) * this.uniform());
  }
}

/** 32-bit left rotation, as an int32. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
