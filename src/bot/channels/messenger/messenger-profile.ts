import { GET_STARTED } from './messenger-webhook.js';

/** The Messenger Profile we set once: Get Started, a greeting, and a persistent menu (Vietnamese first). */
export function messengerProfile(): Record<string, unknown> {
  const menu = (menuTitle: string, news: string, help: string) => [
    { type: 'postback', title: menuTitle, payload: 'CMD:MENU' },
    { type: 'postback', title: news, payload: 'FLOW:content' },
    { type: 'postback', title: help, payload: 'CMD:HELP' },
  ];
  return {
    get_started: { payload: GET_STARTED },
    greeting: [
      { locale: 'default', text: 'Chào {{user_first_name}}! Trợ lý an ninh trường học: tin tuyên truyền, cam kết an toàn giao thông, tố giác tội phạm.' },
      { locale: 'en_US', text: 'Hi {{user_first_name}}! School safety assistant: campaign news, traffic-safety pledge, crime reports.' },
    ],
    persistent_menu: [
      { locale: 'default', composer_input_disabled: false, call_to_actions: menu('Menu chính', 'Tin tuyên truyền', 'Trợ giúp') },
      { locale: 'en_US', composer_input_disabled: false, call_to_actions: menu('Main menu', 'Campaign news', 'Help') },
    ],
  };
}
