import type { StreamCheckpoint } from '../model/stream-checkpoint.ts';

/** How an incremental table stands; item values never: a reason is dynamask's own text. */
export interface StreamStatus {
  /** Why this run copies the table in full instead of applying its stream's changes (absent: it applies them). */
  fallback?: string;
  /** Age of the oldest record not applied yet, at most, as of the last call (0: caught up). */
  lagMs?: number;
  /** The table follows its stream until canceled. */
  following?: boolean;
}

export interface StreamResume extends StreamStatus {
  /** The positions being advanced; during a full copy, where the changes are read from once it is done (absent: no stream can serve). */
  checkpoint?: StreamCheckpoint;
}
