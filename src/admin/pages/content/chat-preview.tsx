import { previewOnChannel, type PreviewChannel } from '../../../content/channel-preview.js';
import type { OutMessage } from '../../../content/messages.schema.js';

/** How the console names each channel of a preview. */
export const CHANNEL_TITLES: Record<PreviewChannel, string> = {
  zalo: 'Zalo (trò chuyện với trang Zalo của chương trình)',
  zalo_group: 'Nhóm Zalo của lớp',
  messenger: 'Messenger',
};

/**
 * Neutral messages as one channel shows them: one bubble per platform message (a long text becomes several),
 * buttons under their bubble, quick replies as chips. Pictures are named by their address, never loaded (the CSP
 * allows images from our own origin only, and a preview should not fetch from elsewhere).
 */
export function ChatPreview(props: { messages: readonly OutMessage[]; channel: PreviewChannel; id: string }) {
  const bubbles = previewOnChannel(props.messages, props.channel);
  return (
    <section class="chat-preview" aria-labelledby={props.id}>
      <h3 id={props.id}>{CHANNEL_TITLES[props.channel]}</h3>
      <p class="hint">
        {bubbles.length} tin nhắn
        {props.channel === 'zalo_group' ? ' · nhóm không có nút bấm: các lựa chọn thành danh sách đánh số' : ''}
      </p>
      {bubbles.map((b, i) => (
        <div class="bubble">
          <p class="bubble-meta">Tin {i + 1}</p>
          {b.image && <p>[Ảnh: {b.image}]</p>}
          {b.text !== undefined && <p>{b.text}</p>}
          {b.buttons && (
            <ul class="bubble-buttons" aria-label="Nút bấm">
              {b.buttons.map((x) => (
                <li>{x.url ? `${x.title} ↗ ${x.url}` : x.title}</li>
              ))}
            </ul>
          )}
          {b.quickReplies && (
            <ul class="quick-replies" aria-label="Trả lời nhanh">
              {b.quickReplies.map((q) => (
                <li>{q}</li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
