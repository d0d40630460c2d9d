import { loadConfig } from '@alignscope/config';
import { getStudy } from '@alignscope/db/queries';
import type { TaskFactory } from '../index.ts';

/**
 * `study:run` {studyId}: a study the API asked to run (runStudy). Plans the stored definition against
 * the current scores, registers its bundle models, enqueues the missing scores as jobs linked to the
 * study (and evaluates in process what a job cannot carry), and returns; the worker that ends the
 * study's last job computes its result. A bad definition fails the study with the reason.
 */
const studyRun: TaskFactory =
  ({ db }) =>
  async (payload, helpers) => {
    const studyId = (payload as { studyId?: unknown } | null)?.studyId;
    if (typeof studyId !== 'number' || !Number.isInteger(studyId)) {
      throw new Error(`study:run: invalid payload ${JSON.stringify(payload)}`);
    }
    const study = await getStudy(db, studyId);
    if (!study) return;
    // Loaded here: the study runner starts workers itself (an import cycle at module load otherwise).
    const { queueExecutor, runStudy } = await import('../../studies/run.ts');
    const { studySchema } = await import('../../studies/definition.ts');
    const { updateStudy } = await import('@alignscope/db/queries');
    const parsed = studySchema.safeParse(study.definition);
    if (!parsed.success) {
      await updateStudy(db, study.id, { status: 'failed', error: 'the stored definition is invalid' });
      return;
    }
    const dataDir = loadConfig().dataDir;
    try {
      await runStudy(db, parsed.data, {
        dataDir,
        executor: queueExecutor({ dataDir, embeddedWorker: null, wait: false }),
        detach: true,
      });
    } catch (e) {
      // runStudy stored the error with the study (or it failed planning: store it here)
      const now = await getStudy(db, studyId);
      if (now?.status === 'requested')
        await updateStudy(db, studyId, { status: 'failed', error: (e as Error).message });
      helpers.logger.error(`study ${study.name}@${study.version}: ${(e as Error).message}`);
    }
  };

export default studyRun;
