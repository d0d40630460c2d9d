import type { Task } from 'graphile-worker';

/** A no-op job that proves a worker is consuming the queue (`alignscope worker --ping`). */
const ping: Task = async (payload, helpers) => {
  helpers.logger.info(`ping ${JSON.stringify(payload)}`);
};

export default ping;
