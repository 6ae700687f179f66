import { createHmac } from 'node:crypto';

/** The key of the console's CSRF tokens, derived from APP_SECRET (changing it voids open forms, nothing else). */
export function consoleCsrfKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update('console-csrf:v1').digest();
}
