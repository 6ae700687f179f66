// The renderers split and shorten text exactly as the console's channel preview shows it: one copy, in src/content.
export { shortenTitle as shorten, splitChatText as splitText } from '../../content/channel-preview.js';
