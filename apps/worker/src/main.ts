import { createWorker } from './create-worker';

createWorker()
  .then(() => console.log('worker ready'))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
