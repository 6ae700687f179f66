import { formatVnDateTime } from '../../../content/vn-time.js';
import type { TipFiguresResult } from '../../../services/dashboard/tip-figures.js';
import { categoryLabel } from '../../../services/reports/report-tables.js';
import { Notice } from '../../views/components.js';
import { FigureTable, N, numCol } from './figure-table.js';
import { labelOf, num, TIP_STATUS_LABELS } from './figure-words.js';

/**
 * Tips by status and urgency; urgent tips nobody acknowledged first, with their codes (for handlers and admins) and
 * a link to each one's page in the tips inbox. Codes and counts only: never a word of a tip or of its sender.
 */
export function TipSection(props: { result: TipFiguresResult }) {
  const r = props.result;
  if (!r.ok) return null;
  return (
    <section aria-labelledby="tin-bao" class="dash-section">
      <h2 id="tin-bao">Tin báo, tố giác</h2>
      {r.urgentWaiting > 0 ? (
        <Notice kind="warning">
          <p>
            <strong>{num(r.urgentWaiting)} tin báo khẩn cấp</strong> chưa có cán bộ xác nhận. Tin khẩn cấp ở đầu danh sách cho đến khi có người xác nhận.
          </p>
        </Notice>
      ) : (
        <p>Không có tin báo khẩn cấp nào đang chờ xác nhận.</p>
      )}
      {r.waiting.length > 0 && (
        <FigureTable caption="Tin báo khẩn cấp chờ xác nhận, cũ nhất trước" head={['Mã tin báo', 'Lĩnh vực', 'Trường', 'Nhận lúc (theo giờ)']}>
          {r.waiting.map((t) => (
            <tr>
              <th scope="row">
                <a href={`/admin/tips/${encodeURIComponent(t.id)}`} class="code">
                  {t.code}
                </a>
              </th>
              <td>{categoryLabel(t.category)}</td>
              <td>{t.schoolName ?? 'Không nêu trường'}</td>
              <td>{formatVnDateTime(t.since)}</td>
            </tr>
          ))}
        </FigureTable>
      )}
      <FigureTable caption="Tin báo theo trạng thái" head={['Trạng thái', numCol('Số tin'), numCol('Trong đó khẩn cấp'), numCol('Khẩn cấp chưa xác nhận')]}>
        {r.byStatus.map((s) => (
          <tr>
            <th scope="row">{labelOf(TIP_STATUS_LABELS, s.status)}</th>
            <N>{num(s.total)}</N>
            <N>{num(s.urgent)}</N>
            <N>{num(s.urgentUnacknowledged)}</N>
          </tr>
        ))}
        <tr class="total">
          <th scope="row">Tổng cộng</th>
          <N>{num(r.total)}</N>
          <N>{num(r.byStatus.reduce((n, s) => n + s.urgent, 0))}</N>
          <N>{num(r.urgentWaiting)}</N>
        </tr>
      </FigureTable>
    </section>
  );
}
