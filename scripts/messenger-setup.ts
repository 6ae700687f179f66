// npm run messenger:setup: sets the Page's Get Started button, greeting and persistent menu once
// (the Profile API allows 10 calls per 10 minutes per Page: run it after changing them, not at every boot).
import { MessengerApi } from '../src/bot/channels/messenger/messenger-api.js';
import { messengerProfile } from '../src/bot/channels/messenger/messenger-profile.js';
import { loadConfig } from '../src/config.js';

const { messenger } = loadConfig().channels;
if (!messenger) {
  process.stderr.write('Messenger is not configured: set MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_ID, MESSENGER_PAGE_ACCESS_TOKEN.\n');
  process.exit(2);
}
const api = new MessengerApi(messenger);
const answer = await api.setProfile(messengerProfile());
if ('networkError' in answer || answer.httpStatus !== 200) {
  process.stderr.write(`Messenger profile was not set: ${JSON.stringify('networkError' in answer ? answer.networkError : answer.body)}\n`);
  process.exit(1);
}
process.stdout.write('Messenger profile set: Get Started, greeting, persistent menu.\n');
