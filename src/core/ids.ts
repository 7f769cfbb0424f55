// Short unique ids for messages and requests (URL-safe, sortable by creation time).
import { randomBytes } from 'node:crypto';

export function newId(prefix = ''): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(6).toString('base64url')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
