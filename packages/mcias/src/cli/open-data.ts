import { createLogger, migrate, openDatabase, type Logger, type SqliteDatabase } from '@metacircular/mcdsl';
import { loadMciasConfig, type MciasConfig } from '../config.js';
import { migrations } from '../store/index.js';

/** OpenedData is a CLI command's view of the service: its config, logger and migrated database. */
export interface OpenedData {
  readonly config: MciasConfig;
  readonly logger: Logger;
  readonly db: SqliteDatabase;
}

/** openData loads the config and opens the database (migrating it) for a one-shot command. */
export function openData(configPath: string): OpenedData {
  const config = loadMciasConfig(configPath);
  const logger = createLogger({ service: 'mcias', level: 'warn' });
  const db = openDatabase(config.database.path);
  try {
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return { config, logger, db };
}
