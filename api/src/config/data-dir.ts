import path from 'node:path';
import type { AppConfig } from './env.schema';

// dist/config -> the repo root, where `npm start` keeps ./.data
const REPO_ROOT = path.resolve(__dirname, '../../..');

// Embedded PostgreSQL's data and the secrets generated on first start. A relative DATA_DIR is taken from the repo
// root, as the dashboard server does, so both find the same folder whichever folder each was started from.
export const dataDir = (config: Pick<AppConfig, 'DATA_DIR'>): string =>
  path.resolve(REPO_ROOT, config.DATA_DIR ?? '.data');
