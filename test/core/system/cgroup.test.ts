import { describe, expect, it } from 'vitest';
import { CgroupCache, cgroup2Mounts, cgroupInfo, cgroupPathOfDir, containerIdOf, parseProcCgroup, readCgroupOf, serviceOf, shortContainerId } from '../../../src/core/system/cgroup.js';

const ID = '3f1c2b9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c';
const ID2 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('cgroup paths', () => {
  it.each([
    ['docker, cgroupfs driver', `/docker/${ID}`, ID, null],
    ['docker, systemd driver', `/system.slice/docker-${ID}.scope`, ID, null],
    ['docker, a nested cgroup inside the container', `/system.slice/docker-${ID}.scope/init`, ID, null],
    ['containerd in kubernetes, systemd driver', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b1c2d3e_4f5a_6b7c_8d9e_0f1a2b3c4d5e.slice/cri-containerd-${ID}.scope`, ID, null],
    ['kubernetes, cgroupfs driver', `/kubepods/besteffort/pod0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e/${ID2}`, ID2, null],
    ['kubernetes guaranteed pod, cgroupfs driver', `/kubepods/pod0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e/${ID}`, ID, null],
    ['CRI-O', `/kubepods.slice/kubepods-pod1.slice/crio-${ID}.scope`, ID, null],
    ['podman', `/machine.slice/libpod-${ID}.scope`, ID, null],
    ['podman rootless', `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID2}.scope/container`, ID2, null],
    ['a systemd service', '/system.slice/nginx.service', null, 'nginx'],
    ['a templated service', '/system.slice/system-getty.slice/getty@tty1.service', null, 'getty@tty1'],
    ['a user session', '/user.slice/user-1000.slice/session-3.scope', null, null],
    ['the root', '/', null, null],
    ['64 hex under an unrelated parent', `/mygroup/${ID}`, null, null],
    ['podman conmon is not the container', `/machine.slice/libpod-conmon-${ID}.scope`, null, null],
  ])('%s: %s', (_what, path, id, service) => {
    expect(containerIdOf(path)).toBe(id);
    if (id === null) expect(serviceOf(path)).toBe(service);
    expect(cgroupInfo(path)).toEqual({ path, containerId: id, service });
  });

  it('names the enclosing service of a path even inside a container (cgroupInfo drops it)', () => {
    expect(serviceOf(`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID2}.scope`)).toBe('user@1000');
  });

  it('uses the 12-character short id as the label', () => {
    expect(shortContainerId(ID)).toBe('3f1c2b9e8d7a');
    expect(shortContainerId(null)).toBe('');
  });

  it.each([
    ['cgroup v2 only', '0::/system.slice/ssh.service\n', '/system.slice/ssh.service'],
    ['hybrid (v1 controllers + v2)', '12:pids:/user.slice\n1:name=systemd:/user.slice/session-1.scope\n0::/user.slice/session-1.scope\n', '/user.slice/session-1.scope'],
    ['v1 only', '4:memory:/docker/abc\n1:cpu:/\n', null],
    ['empty', '', null],
  ])('reads the v2 line of /proc/PID/cgroup: %s', (_what, text, path) => {
    expect(parseProcCgroup(text)).toBe(path);
  });

  it('reads a live process and returns null for one that is gone', () => {
    const self = readCgroupOf(process.pid);
    expect(self?.path).toMatch(/^\//);
    expect(readCgroupOf(2 ** 22 + 1)).toBeNull();
  });

  it('caches per tgid until the comm changes, and forgets evicted processes', () => {
    const reads: number[] = [];
    const cache = new CgroupCache((tgid) => {
      reads.push(tgid);
      return cgroupInfo(`/g${reads.length}`);
    });
    expect(cache.lookup(10, 'sh')?.path).toBe('/g1');
    expect(cache.lookup(10, 'sh')?.path).toBe('/g1');
    // exec after moving into another cgroup: read again
    expect(cache.lookup(10, 'nginx')?.path).toBe('/g2');
    expect(cache.size).toBe(1);
    cache.forget(10);
    expect(cache.size).toBe(0);
    expect(reads).toEqual([10, 10]);
  });

  it('finds cgroup2 mounts in mountinfo and turns a --cgroup directory into its path', () => {
    const mountinfo = [
      '25 30 0:22 / /sys/fs/cgroup rw,nosuid shared:9 - tmpfs tmpfs rw,mode=755',
      '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate',
      '27 25 0:24 / /sys/fs/cgroup/memory rw shared:11 - cgroup cgroup rw,memory',
    ].join('\n');
    const mounts = cgroup2Mounts(mountinfo);
    expect(mounts).toEqual(['/sys/fs/cgroup/unified']);
    expect(cgroupPathOfDir('/sys/fs/cgroup/unified/system.slice/x.service/', mounts)).toBe('/system.slice/x.service');
    expect(cgroupPathOfDir('/sys/fs/cgroup/unified', mounts)).toBe('/');
    expect(cgroupPathOfDir('/sys/fs/cgroup/unifiedx/a', mounts)).toBeNull();
    expect(cgroupPathOfDir('/sys/fs/cgroup/memory/a', mounts)).toBeNull();
  });
});
