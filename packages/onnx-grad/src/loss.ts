/**
 * Loss heads (Croce & Hein 2020, fra31/auto-attack):
 * - 'ce': logsumexp(z) - z_y
 * - 'dlr': -(z_y - max_{j!=y} z_j) / (z_pi1 - z_pi3 + 1e-12)
 * - 'dlr-targeted': -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4)/2 + 1e-12)
 * - 'logit-diff': z_t - z_y (FAB)
 */
export type LossKind = 'ce' | 'dlr' | 'dlr-targeted' | 'logit-diff';

export type BuildLossOptions = {
  loss: LossKind;
  /** Batch size the graph is specialised for (static shapes); default 1. */
  batchSize?: number;
};

/**
 * Builds a model with inputs x [N,C,H,W] float32, y [N] int64 (and y_target [N] int64 for
 * 'dlr-targeted' and 'logit-diff') and outputs `logits` [N,K], `loss` [N] and `grad` = d(sum loss)/dx.
 */
export async function buildLossModel(_model: Uint8Array, _opts: BuildLossOptions): Promise<Uint8Array> {
  throw new Error('not implemented');
}
