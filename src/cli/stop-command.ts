/**
 * `dynamask stop <workflow id>`: cancels a run and waits until it has
 * closed. Stopping is how a follower (`dynamask follow`) ends: each of its
 * tables saves its stream checkpoint and the run completes with its report
 * (the changes applied, the lag when it stopped), and the next run or
 * follower of the job resumes from those checkpoints. Any other run ends
 * failed, each table it was copying canceled: it deletes nothing (mode
 * replace prunes only after a complete copy) and an incremental table
 * keeps the checkpoint it had.
 */
import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { connectClient, temporalTarget } from '../temporal/connection.ts';
import { formatStatus, runStatus, runStatusJson, type RunStatus } from './status.ts';

/** The run once closed; `stopped`: this call stopped it (false: it had closed before). */
export async function stopRun(client: Client, workflowId: string): Promise<RunStatus & { stopped: boolean }> {
  // runStatus refuses an ID that is not a run before anything is canceled.
  const before = await runStatus(client, workflowId);
  if (before.state !== 'running') return { ...before, stopped: false };
  const handle = client.workflow.getHandle(workflowId);
  await handle.cancel();
  await handle.result().catch(() => undefined);
  return { ...(await runStatus(client, workflowId)), stopped: true };
}

export function registerStopCommand(program: Command, exit: { setExitCode(code: 0 | 1): void }): void {
  program
    .command('stop')
    .description('stop a run (cancel it) and wait until it has closed; a follower saves its checkpoints and prints its report')
    .argument('<workflow-id>', 'the run\'s workflow ID, as `dynamask run` or `dynamask follow` printed it')
    .option('--json', 'print the closed run as `dynamask status --json` does')
    .action(async (workflowId: string, options: { json?: boolean }) => {
      const client = await connectClient(temporalTarget());
      try {
        const status = await stopRun(client, workflowId);
        if (!status.stopped) console.error(`${workflowId} was not running; nothing to stop`);
        console.log(options.json ? JSON.stringify(runStatusJson(status), null, 2) : formatStatus(status));
        // Stopped, whatever it ended as (an ordinary run's canceled tables fail it); already closed, as status says.
        exit.setExitCode(status.stopped || status.state === 'completed' ? 0 : 1);
      } finally {
        await client.connection.close();
      }
    });
}
