import { getEvaluationRequest, setEvaluationRequestStatus } from '@alignscope/db/queries';
import { evaluate } from '../../evaluate/evaluate.ts';
import type { TaskFactory } from '../index.ts';

/**
 * Runs an evaluation request recorded by the API (`requestEvaluation`): every requested benchmark is
 * scored and written with its run, exactly as `alignscope evaluate` does. The request ends `done` when
 * every benchmark scored and `failed` otherwise (each failed benchmark is a failed run with its error).
 */
const evaluateTask: TaskFactory =
  ({ db }) =>
  async (payload, helpers) => {
    const requestId = (payload as { requestId?: unknown } | null)?.requestId;
    if (typeof requestId !== 'number' || !Number.isInteger(requestId)) {
      throw new Error(`evaluate job: invalid payload ${JSON.stringify(payload)}`);
    }
    const request = await getEvaluationRequest(db, requestId);
    if (!request) throw new Error(`evaluate job: no evaluation request ${requestId}`);
    if (!(await setEvaluationRequestStatus(db, requestId, 'running', ['pending', 'queued']))) {
      helpers.logger.info(`evaluation request ${requestId} is ${request.status}; nothing to do`);
      return;
    }
    try {
      const records = await evaluate(
        {
          model: request.model,
          benchmarks: request.benchmarks,
          onBenchmark: (e) => helpers.logger.info(`request ${requestId}: ${e.benchmark} ${e.phase}`),
        },
        db,
      );
      const ok = records.every((r) => r.status === 'scored');
      await setEvaluationRequestStatus(db, requestId, ok ? 'done' : 'failed');
    } catch (e) {
      await setEvaluationRequestStatus(db, requestId, 'failed');
      throw e;
    }
  };

export default evaluateTask;
