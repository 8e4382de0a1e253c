/**
 * The citizen's phone pages, one small script: `/t/{ticketCode}`, `/r/{ratingCode}`, `/book`
 * (docs/phone.md). The language is the phone's own when there is a catalogue for it, else Chinese;
 * the switcher in the bar changes it and the choice is kept on the phone.
 */
import { languageOfBrowser, languages, onLanguage, setLanguage, t } from '../i18n/i18n.js';
import { bookPage } from './book-page.js';
import { ratingPage } from './rating-page.js';
import { ticketPage } from './ticket-page.js';

const KEY = 'govhall.lang';

function chosenLanguage(): string {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved) return saved;
  } catch {
    // Private mode: no storage, the browser's language decides.
  }
  return languageOfBrowser(navigator.languages ?? [navigator.language]);
}

function languageSwitch(): void {
  const sel = document.getElementById('lang') as HTMLSelectElement | null;
  if (!sel) return;
  sel.replaceChildren(
    ...languages().map((l) => {
      const o = document.createElement('option');
      o.value = l.code;
      o.textContent = l.name;
      return o;
    }),
  );
  sel.addEventListener('change', () => {
    try {
      localStorage.setItem(KEY, sel.value);
    } catch {
      // kept for this page only
    }
    setLanguage(sel.value);
  });
  onLanguage((lang) => {
    sel.value = lang;
  });
}

function chrome(): void {
  const hall = document.getElementById('hall');
  // The hub writes the hall's own name into the page; only a page without it shows the generic one.
  if (hall && hall.dataset.named === undefined) hall.textContent = t('phone.hall');
  const label = document.getElementById('lang-label');
  if (label) label.textContent = t('phone.language');
}

const path = location.pathname;
languageSwitch();
setLanguage(chosenLanguage());
const sel = document.getElementById('lang') as HTMLSelectElement | null;
if (sel) sel.value = document.documentElement.lang || 'zh-CN';
chrome();

const ticket = /^\/t\/([^/]+)\/?$/.exec(path);
const rating = /^\/r\/([^/]+)\/?$/.exec(path);
const redraw = ticket
  ? ticketPage(decodeURIComponent(ticket[1]!))
  : rating
    ? ratingPage(decodeURIComponent(rating[1]!))
    : bookPage();
document.title = ticket ? t('phone.ticket.title') : rating ? t('phone.rate.title') : t('phone.book.title');
onLanguage(() => {
  chrome();
  redraw();
});
