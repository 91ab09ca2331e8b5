import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must never reach (SSRF): unspecified, loopback, private (RFC 1918, unique local), carrier-
 * grade NAT, link-local (cloud metadata: 169.254.169.254, fd00:ec2::254), multicast, reserved and documentation
 * ranges, and IPv6 forms that embed an IPv4 address (mapped, NAT64), which could smuggle any of the above.
 */
// Two lists: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules, which would block them all.
const BLOCKED_V4 = new BlockList();
const BLOCKED_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED_V4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED_V6.addSubnet(network, prefix, 'ipv6');

/** True for an address webhooks must not be sent to; a string that is not an IP address counts as one. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? BLOCKED_V4.check(address, 'ipv4') : BLOCKED_V6.check(address, 'ipv6');
}

/** A URL's host as an IP address when it is written as one (`[::1]` -> `::1`), else undefined. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare : undefined;
}
