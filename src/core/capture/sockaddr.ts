// Decoding raw struct sockaddr bytes (as connect/bind/accept see them) into text.

// Address families from linux/socket.h that we name.
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

// A decoded socket address: the family and "127.0.0.1:5432", "[::1]:80", "/run/x.sock", "@abstract".
export interface SocketAddress {
  readonly family: number;
  readonly text: string;
}

// Decodes sockaddr_in, sockaddr_in6 and sockaddr_un (little-endian family, as on
// x86_64); null when the bytes are too short for their family or of another family.
export function decodeSockaddr(bytes: Uint8Array): SocketAddress | null {
  if (bytes.length < 2) return null;
  const family = bytes[0]! | (bytes[1]! << 8);
  switch (family) {
    case AF_INET: {
      if (bytes.length < 8) return null;
      const port = (bytes[2]! << 8) | bytes[3]!;
      return { family, text: `${bytes[4]}.${bytes[5]}.${bytes[6]}.${bytes[7]}:${port}` };
    }
    case AF_INET6: {
      if (bytes.length < 24) return null;
      const port = (bytes[2]! << 8) | bytes[3]!;
      return { family, text: `[${formatIpv6(bytes.subarray(8, 24))}]:${port}` };
    }
    case AF_UNIX:
      return { family, text: unixPath(bytes.subarray(2)) };
    default:
      return null;
  }
}

// RFC 5952 text of 16 address bytes: the longest run (2+ groups) of zero groups
// becomes "::", and IPv4-mapped addresses keep their dotted tail (::ffff:1.2.3.4).
export function formatIpv6(addr: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((addr[i]! << 8) | addr[i + 1]!);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${addr[12]}.${addr[13]}.${addr[14]}.${addr[15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

// sun_path: NUL-terminated; a leading NUL is an abstract name ("@name"); empty is unnamed.
function unixPath(path: Uint8Array): string {
  if (path.length === 0) return '';
  if (path[0] === 0) {
    // the kernel may hand over the whole sun_path: drop trailing NULs, show inner
    // ones as '@' like /proc/net/unix does
    let end = path.length;
    while (end > 1 && path[end - 1] === 0) end -= 1;
    return `@${Buffer.from(path.subarray(1, end)).toString('latin1').replace(/\0/g, '@')}`;
  }
  const end = path.indexOf(0);
  return Buffer.from(end < 0 ? path : path.subarray(0, end)).toString('utf8');
}
