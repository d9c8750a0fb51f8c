// Cgroup v2 paths of processes and what they say: the container id (docker,
// containerd/CRI, CRI-O, podman, kubepods) or the systemd service.
import { readFileSync } from 'node:fs';

// What a cgroup path tells about the process in it.
export interface CgroupInfo {
  // the v2 path as /proc/<pid>/cgroup shows it ("/system.slice/ssh.service")
  readonly path: string;
  // 64-hex container id, or null outside a container
  readonly containerId: string | null;
  // "ssh" for .../ssh.service (the innermost service), null inside a container
  readonly service: string | null;
}

const HEX64 = /^[0-9a-f]{64}$/;
// docker-<id>.scope (systemd driver), cri-containerd-<id>.scope, crio-<id>.scope, libpod-<id>.scope (podman)
const SCOPE = /^(?:docker|cri-containerd|crio|libpod)-([0-9a-f]{64})\.scope$/;
// parents under which a bare 64-hex directory is a container (cgroupfs drivers)
const BARE_PARENTS = new Set(['docker', 'kubepods', 'libpod_parent', 'lxc.payload', 'containerd']);

// The v2 path from the text of /proc/<pid>/cgroup (its `0::` line), or null when there is none.
export function parseProcCgroup(text: string): string | null {
  for (const line of text.split('\n')) {
    if (line.startsWith('0::')) return line.slice(3) || '/';
  }
  return null;
}

// The container id in a cgroup path, or null. The innermost match wins, so a
// nested cgroup inside a container (".../docker-<id>.scope/init") still names it.
export function containerIdOf(path: string): string | null {
  const parts = path.split('/').filter((p) => p !== '');
  const underKubepods = parts.some((p) => p === 'kubepods' || p.startsWith('kubepods'));
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!;
    const scope = SCOPE.exec(part);
    if (scope !== null) return scope[1]!;
    if (HEX64.test(part) && i > 0 && (BARE_PARENTS.has(parts[i - 1]!) || underKubepods)) return part;
  }
  return null;
}

// The innermost systemd service of a cgroup path ("nginx" for /system.slice/nginx.service), or null.
export function serviceOf(path: string): string | null {
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = parts.length - 1; i >= 0; i--) {
    const m = /^(.+)\.service$/.exec(parts[i]!);
    if (m !== null) return m[1]!;
  }
  return null;
}

// Everything a cgroup path says.
export function cgroupInfo(path: string): CgroupInfo {
  const containerId = containerIdOf(path);
  // inside a container, an enclosing service is the runtime's (user@1000, docker), not the process's
  return { path, containerId, service: containerId === null ? serviceOf(path) : null };
}

// The container label value: the 12-character short id docker and crictl show.
export function shortContainerId(id: string | null): string {
  return id === null ? '' : id.slice(0, 12);
}

// Reads /proc/<tgid>/cgroup; null when the process is gone or has no v2 line.
export function readCgroupOf(tgid: number, procRoot = '/proc'): CgroupInfo | null {
  try {
    const path = parseProcCgroup(readFileSync(`${procRoot}/${tgid}/cgroup`, 'utf8'));
    return path === null ? null : cgroupInfo(path);
  } catch {
    return null;
  }
}

// CgroupInfo per tgid, read once per (tgid, comm): an exec may follow a move,
// as when a shell joins a cgroup and then execs the workload. Callers forget a
// tgid when its process leaves the snapshots, so the cache stays as big as the
// set of live traced processes.
export class CgroupCache {
  private readonly byTgid = new Map<number, { comm: string; info: CgroupInfo | null }>();

  constructor(private readonly read: (tgid: number) => CgroupInfo | null = readCgroupOf) {}

  // The cgroup of a live process (read on first use and after its comm changes).
  lookup(tgid: number, comm: string): CgroupInfo | null {
    const hit = this.byTgid.get(tgid);
    if (hit !== undefined && hit.comm === comm) return hit.info;
    const info = this.read(tgid);
    this.byTgid.set(tgid, { comm, info });
    return info;
  }

  // Drops a process that exited.
  forget(tgid: number): void {
    this.byTgid.delete(tgid);
  }

  // Processes cached.
  get size(): number {
    return this.byTgid.size;
  }
}

// Mount points of cgroup2 file systems in the text of /proc/self/mountinfo.
export function cgroup2Mounts(mountinfo: string): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (right === undefined || right.split(' ')[0] !== 'cgroup2') continue;
    const mountPoint = left!.split(' ')[4];
    if (mountPoint !== undefined) out.push(mountPoint.replace(/\\040/g, ' '));
  }
  return out;
}

// The cgroup path (as /proc/<pid>/cgroup shows it) of a cgroup v2 directory,
// e.g. /sys/fs/cgroup/system.slice/x.service -> /system.slice/x.service; null when it is under no cgroup2 mount.
export function cgroupPathOfDir(dir: string, mounts: readonly string[]): string | null {
  const clean = dir.replace(/\/+$/, '');
  for (const m of [...mounts].sort((a, b) => b.length - a.length)) {
    const base = m.replace(/\/+$/, '');
    if (clean === base) return '/';
    if (clean.startsWith(`${base}/`)) return clean.slice(base.length);
  }
  return null;
}

// The CgroupInfo of a --cgroup directory on this machine, or null.
export function cgroupInfoOfDir(dir: string): CgroupInfo | null {
  try {
    const path = cgroupPathOfDir(dir, cgroup2Mounts(readFileSync('/proc/self/mountinfo', 'utf8')));
    return path === null ? null : cgroupInfo(path);
  } catch {
    return null;
  }
}
