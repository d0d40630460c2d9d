import { describe, expect, it } from 'vitest';
import { graph } from './builder.ts';
import { OnnxGradError } from './errors.ts';
import { createGradientSession, sessionConfigExtra } from './session.ts';

describe('sessionConfigExtra', () => {
  it("nests flat onnxruntime config keys the way onnxruntime-node's `extra` expects them", () => {
    expect(
      sessionConfigExtra({
        'session.force_spinning_stop': '1',
        'session.intra_op.allow_spinning': '0',
        'optimization.disable_specified_optimizers': 'NchwcTransformer',
      }),
    ).toEqual({
      session: { force_spinning_stop: '1', intra_op: { allow_spinning: '0' } },
      optimization: { disable_specified_optimizers: 'NchwcTransformer' },
    });
    expect(sessionConfigExtra({})).toEqual({});
  });

  it('refuses a key that is also the prefix of another (its value could not be kept)', () => {
    expect(() =>
      sessionConfigExtra({ 'session.intra_op': '1', 'session.intra_op.allow_spinning': '0' }),
    ).toThrow(OnnxGradError);
    expect(() =>
      sessionConfigExtra({ 'session.intra_op.allow_spinning': '0', 'session.intra_op': '1' }),
    ).toThrow(/session\.intra_op' conflicts/);
  });
});

describe('createGradientSession config entries', () => {
  it('refuses transformers switched off both ways rather than dropping one list', async () => {
    await expect(
      createGradientSession(graph().input('x', [1, 2]).node('Relu', ['x'], 'z').output('z').build(), {
        loss: 'ce',
        disabledOptimizers: ['NchwcTransformer'],
        configEntries: { 'optimization.disable_specified_optimizers': 'ConvActivationFusion' },
      }),
    ).rejects.toThrow(/either as disabledOptimizers or as the config entry/);
  });
});
