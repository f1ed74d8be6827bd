// Runs node on a script (or another program) and times it from spawn to exit, keeping stdout (a report can be megabytes).
import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, in milliseconds. */
  ms: number;
}

export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<NodeRun> {
  return runProgram(process.execPath, args, env);
}

/** Like {@link runNode}, for any program (the AWS CLI). */
export function runProgram(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        ms: Number(process.hrtime.bigint() - start) / 1e6,
      }),
    );
  });
}
