import { createHmac } from 'node:crypto';

/** Maps a lane key to the short id logs use for a contact. */
export type ContactKeyer = (laneKey: string) => string;

/**
 * A short keyed hash of a lane key, so logs can follow one contact without containing their platform id. Keyed with
 * the app secret: an unkeyed hash could be matched against a list of known ids.
 */
export function createContactKeyer(secret: string): ContactKeyer {
  return (laneKey) => createHmac('sha256', secret).update(laneKey).digest('hex').slice(0, 12);
}

export { laneKeyOf } from '../store/lane-key.js';
