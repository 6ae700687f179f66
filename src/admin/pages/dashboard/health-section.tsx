import { formatVnDateTime } from '../../../content/vn-time.js';
import type { ChannelHealthResult } from '../../../services/dashboard/channel-health.js';
import { Notice } from '../../views/components.js';
import { FigureTable, N, numCol } from './figure-table.js';
import { CHANNEL_LABELS, GROUP_HEALTH_LABELS, labelOf, minutesInWords, num, SEND_REASON_LABELS } from './figure-words.js';

// An access token this close to its end that has not been refreshed is worth a warning (refresh runs an hour before).
const TOKEN_WARN_MINUTES = 60;

/**
 * Channel health: Zalo OA token expiry, the last webhook per channel, sends put off (rate limit, quiet hours, retry),
 * operator alerts (admins and school admins), and the Zalo class groups broadcasts skip (a teacher: their classes').
 */
export function HealthSection(props: { result: ChannelHealthResult }) {
  const r = props.result;
  if (!r.ok) return null;
  const s = r.system;
  return (
    <section aria-labelledby="kenh" class="dash-section">
      <h2 id="kenh">Tình trạng kênh Zalo, Messenger</h2>
      {s && (
        <>
          {s.alerts.map((a) => (
            <Notice kind="warning">
              <p>
                {a.message} <span class="hint">(từ {formatVnDateTime(a.since)})</span>
              </p>
            </Notice>
          ))}
          {s.tokens.length === 0 ? (
            <p>Chưa kết nối Zalo OA (chưa có mã truy cập).</p>
          ) : (
            <FigureTable caption="Mã truy cập Zalo OA" head={['Tài khoản', 'Hết hạn lúc', 'Tình trạng', 'Làm mới lần cuối', 'Lỗi làm mới gần nhất']}>
              {s.tokens.map((t) => (
                <tr>
                  <th scope="row" class="code">
                    {t.id}
                  </th>
                  <td>{formatVnDateTime(t.expiresAt)}</td>
                  <td>
                    {t.minutesLeft < 0 ? (
                      <strong>Đã hết hạn {minutesInWords(t.minutesLeft)} trước</strong>
                    ) : t.minutesLeft < TOKEN_WARN_MINUTES ? (
                      <strong>Còn {minutesInWords(t.minutesLeft)}</strong>
                    ) : (
                      <>Còn {minutesInWords(t.minutesLeft)}</>
                    )}
                    {t.refreshing && ' · đang làm mới'}
                  </td>
                  <td>{t.refreshedAt ? formatVnDateTime(t.refreshedAt) : 'Chưa làm mới'}</td>
                  <td>{t.lastError ?? 'Không có'}</td>
                </tr>
              ))}
            </FigureTable>
          )}
          <FigureTable caption="Webhook nhận gần nhất theo kênh" head={['Kênh', 'Lúc', 'Cách đây']}>
            {s.lastWebhook.map((w) => (
              <tr>
                <th scope="row">{labelOf(CHANNEL_LABELS, w.channel)}</th>
                <td>{w.at ? formatVnDateTime(w.at) : 'Chưa nhận webhook nào'}</td>
                <td>{w.minutesAgo === null ? '–' : minutesInWords(w.minutesAgo)}</td>
              </tr>
            ))}
          </FigureTable>
          {s.deferred.length === 0 ? (
            <p>Không có tin nào đang phải chờ (giới hạn tốc độ, giờ nghỉ, thử lại).</p>
          ) : (
            <FigureTable caption="Tin đang chờ gửi lại" head={['Kênh', 'Lý do', numCol('Số tin'), 'Chờ lâu nhất', 'Thử lại lúc']}>
              {s.deferred.map((d) => (
                <tr>
                  <th scope="row">{labelOf(CHANNEL_LABELS, d.channel)}</th>
                  <td>{labelOf(SEND_REASON_LABELS, d.reason)}</td>
                  <N>{num(d.count)}</N>
                  <td>{minutesInWords(d.oldestMinutes)}</td>
                  <td>{formatVnDateTime(d.nextTryAt)}</td>
                </tr>
              ))}
            </FigureTable>
          )}
        </>
      )}
      {r.groups.total === 0 ? (
        <p>Các nhóm Zalo lớp đều nhận được tin (hoặc chưa liên kết nhóm nào).</p>
      ) : (
        <FigureTable
          caption={`Nhóm Zalo lớp không nhận được tin: ${num(r.groups.total)} nhóm${r.groups.total > r.groups.shown.length ? `, hiện ${num(r.groups.shown.length)} nhóm` : ''}`}
          head={['Nhóm', 'Lớp', 'Trường', 'Tình trạng', 'Từ lúc']}
         
        >
          {r.groups.shown.map((g) => (
            <tr>
              <th scope="row">{g.name}</th>
              <td>{g.className ?? 'Chưa gắn lớp'}</td>
              <td>{g.schoolName ?? '–'}</td>
              <td>
                {labelOf(GROUP_HEALTH_LABELS, g.health)}
                {g.code && <span class="hint"> (mã {g.code})</span>}
              </td>
              <td>{g.since ? formatVnDateTime(g.since) : '–'}</td>
            </tr>
          ))}
        </FigureTable>
      )}
    </section>
  );
}
