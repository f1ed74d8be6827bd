// The reference client for the live figure: the AWS CLI (`apt-get install -y awscli`). BENCH_AWS_CLI names one
// explicitly; else the Debian package's /usr/bin/aws; else `aws` on PATH. Absent, the bench says so and skips the
// ratio.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface AwsCli {
  path: string;
  version: string;
}

export function findAwsCli(env: NodeJS.ProcessEnv = process.env): AwsCli | undefined {
  const candidates = [env.BENCH_AWS_CLI, existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined, 'aws'].filter(
    (candidate): candidate is string => candidate !== undefined && candidate !== '',
  );
  for (const path of candidates) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
      return { path, version: version.split(/\s+/)[0] ?? version };
    } catch {
      // not installed there
    }
  }
  return undefined;
}
