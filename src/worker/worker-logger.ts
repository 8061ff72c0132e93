/**
 * How a dynamask process logs what the Temporal SDK tells it: one line per
 * event, on stderr, naming the workflow or activity and the failure's
 * message. The SDK's default prints whole metadata objects with stack traces
 * and task tokens; an operator reading a failed refresh wants the one line
 * that says which table and why (DYNAMASK_DEBUG=1 prints everything).
 */
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

export function workerLogger(level: LogLevel, env: NodeJS.ProcessEnv = process.env): DefaultLogger {
  if (env.DYNAMASK_DEBUG) return new DefaultLogger(level);
  return new DefaultLogger(level, (entry: LogEntry) => {
    process.stderr.write(`${formatLogEntry(entry)}\n`);
  });
}

export function formatLogEntry({ level, message, meta }: Pick<LogEntry, 'level' | 'message' | 'meta'>): string {
  const m = (meta ?? {}) as Record<string, unknown>;
  const subject = [m.activityType ?? m.workflowType, m.workflowId].filter((part) => typeof part === 'string').join(' ');
  const error = m.error ?? m.failure;
  const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  // Lines from the SDK's native core say so: they are about connections and polling, not tables.
  const origin = m.sdkComponent === 'core' ? ' [core]' : '';
  return `[${level}]${origin} ${message}${subject ? ` (${subject})` : ''}${reason ? `: ${reason}` : ''}`;
}

/**
 * Installs the runtime's logger once per process. Native core logs are
 * forwarded through it: left alone, core prints to stdout, which would corrupt
 * `run --json`.
 */
export function installWorkerLogger(level: LogLevel, env: NodeJS.ProcessEnv = process.env): void {
  try {
    Runtime.install({
      logger: workerLogger(level, env),
      telemetryOptions: { logging: { forward: {}, filter: { core: level === 'TRACE' ? 'TRACE' : level, other: 'ERROR' } } },
    });
  } catch {
    // Installed already: main ran before in this process, or a test installed its own.
  }
}
