import { z } from 'zod';
import { TOPIC_LABELS } from '../../../content/catalogue.js';
import { TopicSchema, type Audience, type ContentItem, type Topic } from '../../../content/catalogue.schema.js';
import { catalogueItemInChat } from '../../../content/channel-preview.js';
import { parseInput } from '../../http/parse-input.js';
import { defineRoute, notFound, page, type StaffContext } from '../../route.js';
import { chromeOf } from '../../views/chrome.js';
import { DataTable, Notice } from '../../views/components.js';
import { Layout } from '../../views/layout.js';
import { CheckboxField, formCheckbox, SelectField } from '../schools/form-fields.js';
import { ChatPreview } from './chat-preview.js';

/** Who reads the content pages: staff who send or oversee campaign content. */
const CONTENT_READERS = ['admin', 'school_admin', 'teacher'] as const;

const AUDIENCE_LABELS: Record<Audience, string> = { parent: 'Phụ huynh', student: 'Học sinh' };

const ListQuery = z.object({
  topic: z.union([z.literal(''), TopicSchema], 'Chủ đề không có trong danh sách.').optional(),
  audience: z.enum(['', 'parent', 'student'], 'Đối tượng không có trong danh sách.').optional(),
  review: formCheckbox,
});
const ItemQuery = z.object({ audience: z.enum(['parent', 'student'], 'Đối tượng không có trong danh sách.').optional() });

type Filters = { topic?: Topic | undefined; audience?: Audience | undefined; onlyReview: boolean };

function audienceWords(a: readonly Audience[]): string {
  return a.map((x) => AUDIENCE_LABELS[x]).join(', ');
}

function itemHref(item: ContentItem, audience?: Audience): string {
  return `/admin/content/${encodeURIComponent(item.id)}${audience ? `?audience=${audience}` : ''}`;
}

function ContentList(props: { ctx: StaffContext; filters: Filters; errors?: Record<string, string> }) {
  const { ctx, filters } = props;
  const { catalogue, quizzes } = ctx.deps.content;
  const all = catalogue.items();
  const shown = all.filter((i) => (!filters.topic || i.topic === filters.topic) && (!filters.audience || i.audience.includes(filters.audience)) && (!filters.onlyReview || i.needsReview));
  const flagged = all.filter((i) => i.needsReview);
  const flaggedQuestions = quizzes.topics().flatMap((t) => quizzes.questions(t).filter((q) => q.needsReview).map((q) => ({ topic: t, q })));
  const topics = TopicSchema.options.filter((t) => shown.some((i) => i.topic === t));
  return (
    <Layout title="Nội dung tuyên truyền" chrome={chromeOf(ctx)}>
      <p class="lead">
        Thư viện tin bài phụ huynh và học sinh đọc trong chat (mục “Tin tuyên truyền” của menu): {all.length} tin thuộc {new Set(all.map((i) => i.topic)).size} chủ đề. Mỗi tin ghi rõ văn bản
        pháp luật hoặc kế hoạch làm nguồn. Nội dung được quản lý trong mã nguồn (thư mục src/content/catalogue) và kiểm tra khi khởi động máy chủ; trang này chỉ để xem.
      </p>

      {flagged.length + flaggedQuestions.length > 0 && (
        <section aria-labelledby="needs-review">
          <h2 id="needs-review">Cần nhà trường kiểm tra lại ({flagged.length + flaggedQuestions.length})</h2>
          <p>Trong chat, các tin này có thêm dòng “(Nội dung đang chờ nhà trường kiểm tra lại.)”, và giáo viên không chọn được chúng để gửi thông báo.</p>
          <ul class="link-list">
            {flagged.map((i) => (
              <li>
                <a href={itemHref(i)}>{i.title}</a> <span class="tag">{TOPIC_LABELS[i.topic].vi}</span>
                <p class="review-note">Cần kiểm tra: {i.reviewNote ?? 'chưa ghi rõ điều cần kiểm tra.'}</p>
              </li>
            ))}
            {flaggedQuestions.map(({ topic, q }) => (
              <li>
                Câu đố “{q.text}” <span class="tag">{TOPIC_LABELS[topic].vi}</span>
                <p class="review-note">Cần kiểm tra: {q.reviewNote ?? 'chưa ghi rõ điều cần kiểm tra.'}</p>
              </li>
            ))}
          </ul>
        </section>
      )}

      <h2>Tất cả tin bài</h2>
      <form method="get" action="/admin/content" class="filters">
        <SelectField
          name="topic"
          label="Chủ đề"
          options={[{ value: '', label: 'Tất cả chủ đề' }, ...TopicSchema.options.map((t) => ({ value: t, label: TOPIC_LABELS[t].vi }))]}
          value={filters.topic ?? ''}
          error={props.errors?.topic}
        />
        <SelectField
          name="audience"
          label="Dành cho"
          options={[
            { value: '', label: 'Mọi đối tượng' },
            { value: 'parent', label: 'Phụ huynh' },
            { value: 'student', label: 'Học sinh' },
          ]}
          value={filters.audience ?? ''}
          error={props.errors?.audience}
        />
        <CheckboxField name="review" value="1" label="Chỉ tin cần kiểm tra" checked={filters.onlyReview} />
        <button type="submit">Lọc</button>
      </form>
      {props.errors && <Notice kind="error">{Object.values(props.errors).join(' ')}</Notice>}
      {shown.length === 0 && <p>Không có tin nào khớp bộ lọc.</p>}
      {topics.map((t) => {
        const items = shown.filter((i) => i.topic === t);
        return (
          <DataTable caption={`${TOPIC_LABELS[t].vi} (${items.length} tin)`} head={['Tiêu đề', 'Dành cho', 'Nguồn', 'Trạng thái']}>
            {items.map((i) => (
              <tr>
                <td>
                  <a href={itemHref(i, filters.audience)}>{i.title}</a>
                </td>
                <td>{audienceWords(i.audience)}</td>
                <td>{i.source}</td>
                <td>{i.needsReview ? <span class="tag tag-warn">Cần kiểm tra</span> : 'Đã kiểm tra'}</td>
              </tr>
            ))}
          </DataTable>
        );
      })}
    </Layout>
  );
}

function ItemPage(props: { ctx: StaffContext; item: ContentItem; audience: Audience }) {
  const { ctx, item, audience } = props;
  const inChat = catalogueItemInChat(ctx.deps.content.catalogue, item, audience);
  return (
    <Layout title={item.title} chrome={chromeOf(ctx)}>
      <p>
        <a href="/admin/content">← Nội dung tuyên truyền</a>
      </p>
      {item.needsReview && (
        <div class="review-note" role="note">
          <p>Tin này đang chờ nhà trường kiểm tra lại. Điều cần kiểm tra:</p>
          <p>{item.reviewNote ?? 'chưa ghi rõ.'}</p>
        </div>
      )}
      <dl class="facts">
        <dt>Chủ đề</dt>
        <dd>{TOPIC_LABELS[item.topic].vi}</dd>
        <dt>Dành cho</dt>
        <dd>{audienceWords(item.audience)}</dd>
        <dt>Tóm tắt</dt>
        <dd>{item.summary}</dd>
        <dt>Nguồn</dt>
        <dd>
          {item.source}
          {item.sourceUrl && (
            <>
              {' '}
              (
              <a href={item.sourceUrl} rel="noopener noreferrer">
                {item.sourceUrl}
              </a>
              )
            </>
          )}
        </dd>
        <dt>Từ khoá</dt>
        <dd>{item.keywords.length ? item.keywords.join(', ') : 'không có'}</dd>
        <dt>Mã tin</dt>
        <dd class="code">{item.id}</dd>
      </dl>

      <h2>Trong chat</h2>
      {item.audience.length > 1 && (
        <p>
          Xem như:{' '}
          {item.audience.map((a, i) => (
            <>
              {i > 0 && ' · '}
              {a === audience ? <strong>{AUDIENCE_LABELS[a]}</strong> : <a href={itemHref(item, a)}>{AUDIENCE_LABELS[a]}</a>}
            </>
          ))}
        </p>
      )}
      {inChat ? (
        <>
          <p>
            {AUDIENCE_LABELS[audience]} đọc tin này ở vị trí {inChat.position}/{inChat.total} của chủ đề “{TOPIC_LABELS[item.topic].vi}”. Mỗi kênh chia và hiển thị tin theo giới
            hạn riêng (Zalo: tối đa 2 000 ký tự một tin, nút dạng danh sách; Messenger: tối đa 3 nút, hoặc tối đa 13 trả lời nhanh dài 20 ký tự).
          </p>
          <div class="previews">
            <ChatPreview messages={inChat.messages} channel="zalo" id="preview-zalo" />
            <ChatPreview messages={inChat.messages} channel="messenger" id="preview-messenger" />
          </div>
        </>
      ) : (
        <Notice kind="info">Tin này không dành cho {AUDIENCE_LABELS[audience].toLowerCase()}.</Notice>
      )}
    </Layout>
  );
}

/** `/admin/content`: the catalogue as the chat shows it, items to review first; one item as each channel renders it. */
export const contentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/admin/content',
    access: CONTENT_READERS,
    nav: { href: '/admin/content', label: 'Nội dung', description: 'tin bài trong chat, tin cần kiểm tra lại, xem trước trên Zalo và Messenger', order: 350 },
    handler(ctx) {
      const q = parseInput(ListQuery, ctx.query);
      if (!q.ok) return page(<ContentList ctx={ctx} filters={{ onlyReview: false }} errors={q.errors} />, { status: 400 });
      const filters: Filters = { topic: q.data.topic || undefined, audience: q.data.audience || undefined, onlyReview: q.data.review };
      return page(<ContentList ctx={ctx} filters={filters} />);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/content/:itemId',
    access: CONTENT_READERS,
    handler(ctx) {
      const item = ctx.deps.content.catalogue.get(ctx.params.itemId ?? '');
      if (!item) return notFound();
      const q = parseInput(ItemQuery, ctx.query);
      const asked = q.ok ? q.data.audience : undefined;
      const audience = asked && item.audience.includes(asked) ? asked : item.audience[0]!;
      return page(<ItemPage ctx={ctx} item={item} audience={audience} />);
    },
  }),
];
