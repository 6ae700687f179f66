import type { Chrome } from './chrome.js';
import { Layout } from './layout.js';

/** Why a console request was refused, in words a person can act on. */
export type RefusalKind = 'bad_request' | 'signed_out' | 'forbidden' | 'csrf' | 'not_found' | 'too_large' | 'unsupported' | 'too_many' | 'internal';

const TEXTS: Record<RefusalKind, { title: string; body: string }> = {
  bad_request: { title: 'Yêu cầu không hợp lệ', body: 'Dữ liệu gửi lên không đúng định dạng. Bạn vui lòng quay lại trang trước, kiểm tra rồi thử lại.' },
  signed_out: { title: 'Bạn cần đăng nhập', body: 'Phiên đăng nhập đã kết thúc hoặc bạn chưa đăng nhập. Bạn vui lòng đăng nhập lại rồi thử lại.' },
  forbidden: { title: 'Không có quyền truy cập', body: 'Tài khoản của bạn không được dùng chức năng này. Nếu cần, bạn hãy liên hệ quản trị viên của phòng hoặc trường.' },
  csrf: {
    title: 'Biểu mẫu không hợp lệ',
    body: 'Biểu mẫu đã hết hạn hoặc không được gửi từ trang của chương trình, nên không có gì thay đổi. Bạn vui lòng tải lại trang rồi thử lại.',
  },
  not_found: { title: 'Không tìm thấy trang', body: 'Trang này không tồn tại, hoặc nằm ngoài phạm vi tài khoản của bạn. Bạn kiểm tra lại đường dẫn nhé.' },
  too_large: { title: 'Nội dung quá lớn', body: 'Nội dung gửi lên vượt quá giới hạn cho phép. Bạn vui lòng gửi nội dung ngắn hơn.' },
  unsupported: { title: 'Định dạng không được hỗ trợ', body: 'Định dạng nội dung gửi lên không được hỗ trợ. Bạn vui lòng dùng biểu mẫu trên trang.' },
  too_many: { title: 'Quá nhiều yêu cầu', body: 'Có quá nhiều yêu cầu trong thời gian ngắn. Bạn vui lòng thử lại sau ít phút.' },
  internal: { title: 'Hệ thống đang gặp sự cố', body: 'Đã có lỗi phía hệ thống, không phải do bạn. Bạn vui lòng thử lại sau ít phút.' },
};

/** The status each refusal is answered with. */
export const REFUSAL_STATUS: Record<RefusalKind, number> = {
  bad_request: 400,
  signed_out: 401,
  forbidden: 403,
  csrf: 403,
  not_found: 404,
  too_large: 413,
  unsupported: 415,
  too_many: 429,
  internal: 500,
};

/** A refusal's page; nothing from the request is echoed back. */
export function ErrorPage(props: { kind: RefusalKind; chrome: Chrome }) {
  const t = TEXTS[props.kind];
  const signedIn = props.chrome.staff !== null;
  return (
    <Layout title={t.title} chrome={props.chrome}>
      <p class="lead">{t.body}</p>
      <p>
        {signedIn ? <a href="/admin">Về trang chính</a> : <a href="/admin/login">Đến trang đăng nhập</a>}
      </p>
    </Layout>
  );
}
