/**
 * Neural benchmarks on a user-supplied assembly (`alignscope evaluate --assembly <file>`): for each of
 * Brain-Score's neural -pls leaves in the catalog, the same data scored with the four metric suffixes.
 * `-pls` is the catalog leaf (it feeds V1/V2/V4/IT and neural_vision); `-ridge`, `-rdm` and `-cka` are
 * registered on first use without a parent, so they never change the Brain-Score aggregates.
 */
import { catalog } from '@alignscope/db/catalog';
import { NEURAL_METRICS, type NeuralMetric } from '@alignscope/neural';
import { runNeuralBenchmark } from '../../neural/benchmark.ts';
import type { BenchmarkPlugin } from '../types.ts';

const METRIC_TEXT: Record<NeuralMetric, string> = {
  pls: 'PLS regression (25 components, no scaling) neural predictivity: Pearson r per neuroid on held-out stimuli, median over neuroids, mean over 10 splits',
  ridge:
    'ridge regression neural predictivity (alpha by leave-one-out on each training part, Brain-Score ALPHA_LIST)',
  rdm: 'RSA: Spearman correlation of representational dissimilarity matrices (1 - Pearson), mean over 10 subsets of 90%',
  cka: 'linear CKA (unbiased estimator), mean over 10 subsets of 90%',
};

const leaves = catalog.filter((e) => e.domain === 'neural' && e.identifier.endsWith('-pls'));

const plugins: BenchmarkPlugin[] = leaves.flatMap((leaf) => {
  const name = leaf.identifier.slice(0, -'-pls'.length);
  const region = name.slice(name.lastIndexOf('.') + 1);
  return NEURAL_METRICS.map((metric): BenchmarkPlugin => {
    const identifier = `${name}-${metric}`;
    return {
      identifier,
      version: 1,
      description: `${region} ${METRIC_TEXT[metric]}, on the recorded responses given with --assembly; the layer is committed on half of the stimuli and scored on the other half, ceiled by the split-half consistency with Spearman-Brown.`,
      reference: leaf.reference ?? 'Schrimpf et al., bioRxiv 2018 (Brain-Score)',
      // Activations of any classifier; the assembly comes from --assembly, so not a queued job.
      labelSpace: 'any',
      queueable: false,
      assemblyName: name.slice(0, name.lastIndexOf('.')),
      ...(metric === 'pls'
        ? {}
        : {
            catalogEntry: {
              identifier,
              parent: null,
              domain: 'neural' as const,
              version: 1,
              metric: METRIC_TEXT[metric],
              ceiling: null,
              rangeMin: -1,
              rangeMax: 1,
              reference: leaf.reference,
            },
          }),
      unsupported: (model) =>
        model.onnx ? null : `${identifier} needs an ONNX model (activations), not recorded decisions`,
      run: (model, ctx) => runNeuralBenchmark({ identifier, region, metric }, model, ctx),
    };
  });
});

export default plugins;
