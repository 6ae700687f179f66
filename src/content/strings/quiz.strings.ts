import type { Locale } from '../i18n.js';

/** Sentences of the quizzes and the class leaderboard. `{name}` marks a parameter. */
export const QUIZ_STRINGS = {
  'menu.quiz': { vi: 'Câu đố', en: 'Quiz' },
  'menu.leaderboard': { vi: 'Bảng xếp hạng', en: 'Leaderboard' },
  'quiz.topics': { vi: 'Chọn chủ đề câu đố. Mỗi câu có giải thích và nguồn văn bản sau khi bạn trả lời.', en: 'Pick a quiz topic. Each answer comes with an explanation and its official source.' },
  'quiz.none': { vi: 'Hiện chưa có câu đố nào. Bạn quay lại sau nhé.', en: 'There are no quizzes yet. Please come back later.' },
  'quiz.question': { vi: 'Câu {n}/{total}: {text}', en: 'Question {n}/{total}: {text}' },
  'quiz.pick': { vi: 'Bạn chọn một đáp án bằng nút bấm, hoặc gõ chữ cái của đáp án (A, B, C…) nhé.', en: 'Please pick an answer with a button, or type its letter (A, B, C…).' },
  'quiz.correct': { vi: '✅ Đúng rồi!', en: '✅ Correct!' },
  'quiz.wrong': { vi: '❌ Chưa đúng. Đáp án đúng: {answer}', en: '❌ Not quite. The right answer: {answer}' },
  'quiz.score': { vi: 'Bạn đúng {score}/{total} câu.', en: 'You got {score}/{total} right.' },
  'quiz.praise.high': { vi: 'Tuyệt vời! Bạn nắm rất chắc chủ đề này.', en: 'Excellent! You know this topic well.' },
  'quiz.praise.mid': { vi: 'Khá tốt! Đọc thêm tin tuyên truyền của chủ đề này để làm tốt hơn nhé.', en: 'Well done! Read the campaign news on this topic to do even better.' },
  'quiz.praise.low': { vi: 'Bạn đọc tin tuyên truyền của chủ đề này rồi thử làm lại nhé.', en: 'Read the campaign news on this topic, then try again.' },
  'quiz.retry': { vi: 'Làm lại', en: 'Try again' },
  'quiz.otherTopic': { vi: 'Chủ đề khác', en: 'Other topics' },
  'leaderboard.title': { vi: 'Bảng xếp hạng câu đố các lớp – {school}\n(tính theo lớp, không hiển thị cá nhân)', en: 'Quiz leaderboard of the classes – {school}\n(by class, no individual is shown)' },
  'leaderboard.row': { vi: '{rank}. Lớp {class}: đúng {percent}% ({score}/{total} câu), {attempts} lượt làm', en: '{rank}. Class {class}: {percent}% right ({score}/{total}), {attempts} attempts' },
  'leaderboard.empty': { vi: '{school} chưa có lượt làm câu đố nào. Thầy/cô có thể nhắc học sinh và phụ huynh gõ “câu đố” để bắt đầu.', en: '{school} has no quiz attempts yet. Invite students and parents to type “quiz” to start.' },
  'leaderboard.teachersOnly': { vi: 'Bảng xếp hạng các lớp dành cho thầy cô. Bạn làm câu đố để góp điểm cho lớp mình nhé!', en: 'The class leaderboard is for teachers. Take a quiz to add to your class score!' },
  'leaderboard.noSchool': { vi: 'Bạn chưa liên kết với trường nào. Chọn “Đổi trường/lớp” trong menu để liên kết.', en: 'You are not linked to a school yet. Choose “Change school/class” in the menu.' },
} as const satisfies Record<string, Record<Locale, string>>;
