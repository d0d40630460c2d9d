import type { TaskFactory } from '../index.ts';

/** A no-op job that proves a worker is consuming the queue (`alignscope worker --ping`). */
const ping: TaskFactory = () => async (payload, helpers) => {
  helpers.logger.info(`ping ${JSON.stringify(payload)}`);
};

export default ping;
