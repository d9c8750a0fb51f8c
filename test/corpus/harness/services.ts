// Real servers from Debian packages, each in its own cgroup, listening on
// 127.0.0.1 only, with its data in a scratch directory, and a stop() that
// ends everything it started.
import { chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Cgroup } from './cgroup.js';
import { asUser, freePort, listening, run, start, waitUntil } from './process.js';

// A running server.
export interface Service {
  readonly cgroup: Cgroup;
  readonly port: number;
  stop(): Promise<void>;
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

// The directory of the newest installed PostgreSQL's programs.
export function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (make deps installs it)');
  return join('/usr/lib/postgresql', versions[0]!, 'bin');
}

// PostgreSQL with a fresh cluster in dir (as the postgres user; it refuses root).
export async function startPostgres(dir: string): Promise<Service> {
  const bin = postgresBin();
  const data = join(dir, 'pgdata');
  mkdirSync(data);
  const uid = uidOf('postgres');
  chownSync(dir, uid, uid);
  chownSync(data, uid, uid);
  await run([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], 120_000, { user: 'postgres' });
  const port = await freePort();
  const cgroup = new Cgroup('postgres');
  // the server's defaults, except where it listens: fsync and synchronous_commit stay on
  // joins the cgroup as root, then becomes postgres
  const server = start(cgroup.wrap(asUser('postgres', [join(bin, 'postgres'), '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir])));
  const stop = async (): Promise<void> => {
    server.child.kill('SIGINT');
    await cgroup.destroy();
  };
  try {
    await waitUntil(() => listening(port), 30_000, `postgres on port ${port}`);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${server.output()}`);
  }
  return { cgroup, port, stop };
}

// Redis with persistence off (the defaults a cache runs with), on 127.0.0.1.
export async function startRedis(dir: string): Promise<Service> {
  const port = await freePort();
  const cgroup = new Cgroup('redis');
  const server = start(cgroup.wrap(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no']));
  const stop = async (): Promise<void> => {
    server.child.kill('SIGTERM');
    await cgroup.destroy();
  };
  try {
    await waitUntil(() => listening(port), 30_000, `redis on port ${port}`);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${server.output()}`);
  }
  return { cgroup, port, stop };
}

// nginx serving dir/www (a 4 KiB index.html) with one worker, access log off.
export async function startNginx(dir: string): Promise<Service> {
  const port = await freePort();
  const www = join(dir, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), `<html><body>${'syscall-prof corpus '.repeat(200)}</body></html>\n`);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'daemon off;',
      'master_process on;',
      'worker_processes 1;',
      'user root;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      '  sendfile on;',
      '  keepalive_requests 100000;',
      `  client_body_temp_path ${join(dir, 'tmp-body')};`,
      `  proxy_temp_path ${join(dir, 'tmp-proxy')};`,
      `  fastcgi_temp_path ${join(dir, 'tmp-fastcgi')};`,
      `  uwsgi_temp_path ${join(dir, 'tmp-uwsgi')};`,
      `  scgi_temp_path ${join(dir, 'tmp-scgi')};`,
      `  server { listen 127.0.0.1:${port}; root ${www}; }`,
      '}',
      '',
    ].join('\n'),
  );
  const cgroup = new Cgroup('nginx');
  const server = start(cgroup.wrap(['nginx', '-c', conf, '-p', dir, '-e', join(dir, 'error.log')]));
  const stop = async (): Promise<void> => {
    server.child.kill('SIGQUIT');
    await cgroup.destroy();
  };
  try {
    await waitUntil(() => listening(port), 30_000, `nginx on port ${port}`);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${server.output()}`);
  }
  return { cgroup, port, stop };
}
