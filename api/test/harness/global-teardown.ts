import { dropDatabase, TEMPLATE_ENV } from './databases';

export default async function globalTeardown(): Promise<void> {
  const name = process.env[TEMPLATE_ENV];
  if (name) await dropDatabase(name);
}
