/**
 * Neural benchmarks on a user-supplied assembly (`alignscope evaluate --assembly <file>`): the plugin
 * family of packages/benchmarks/src/definitions/neural.ts, one plugin per definition (each `-pls` leaf
 * of the tree and its `-ridge`, `-rdm` and `-cka` variants, created on first use without a parent).
 */
import family, { NEURAL_METRIC_TEXT } from '@alignscope/benchmarks/definitions/neural';
import { NEURAL_METRICS, type NeuralMetric } from '@alignscope/neural';
import { runNeuralBenchmark } from '../../neural/benchmark.ts';
import { type BenchmarkPlugin, fromDefinition } from '../types.ts';

const plugins: BenchmarkPlugin[] = family.map((definition): BenchmarkPlugin => {
  const identifier = definition.identifier;
  const dash = identifier.lastIndexOf('-');
  const name = identifier.slice(0, dash);
  const metric = identifier.slice(dash + 1) as NeuralMetric;
  if (!NEURAL_METRICS.includes(metric)) throw new Error(`${identifier}: unknown neural metric ${metric}`);
  const region = name.slice(name.lastIndexOf('.') + 1);
  const leaf = family.find((d) => d.identifier === `${name}-pls`);
  return {
    ...fromDefinition(definition),
    description: `${region} ${NEURAL_METRIC_TEXT[metric]}, on the recorded responses given with --assembly; the layer is committed on half of the stimuli and scored on the other half, ceiled by the split-half consistency with Spearman-Brown.`,
    reference: leaf?.reference ?? 'Schrimpf et al., bioRxiv 2018 (Brain-Score)',
    // The assembly comes from --assembly, so not a queued job.
    queueable: false,
    assemblyName: name.slice(0, name.lastIndexOf('.')),
    unsupported: (model) =>
      model.onnx ? null : `${identifier} needs an ONNX model (activations), not recorded decisions`,
    run: (model, ctx) => runNeuralBenchmark({ identifier, region, metric }, model, ctx),
  };
});

export default plugins;
