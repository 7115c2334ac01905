import { AppConfig } from '@sg/config';
import { createApi } from './create-api';

async function main(): Promise<void> {
  const app = await createApi();
  const config = app.get(AppConfig);
  await app.listen({ port: config.PORT, host: config.HOST });
  // A line the start script waits for; no personal data.
  console.log(`api ready on ${config.PUBLIC_URL} (docs ${config.PUBLIC_URL}/api/docs)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
