import { DOMParser } from '@xmldom/xmldom';

/** XML that Gatehouse refuses to read, with the precise reason (for logs and events, never the browser). */
export class XmlHygieneError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'XmlHygieneError';
  }
}

export interface XmlLimits {
  /** deepest element nesting */
  maxDepth: number;
  /** most element nodes */
  maxElements: number;
  /** most attributes on one element */
  maxAttributesPerElement: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxElements: 10_000, maxAttributesPerElement: 64 };

const ELEMENT_NODE = 1;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

/**
 * Parses XML text that may come from an attacker: no DTD or entity declarations (anywhere, any case), a
 * UTF-8 (or absent) encoding declaration, exactly one root, every parser error and warning fatal, and
 * bounded depth, element count and attributes per element. `allowComments` false also refuses comments and
 * processing instructions below the root (a SAML message never needs them). `visit`, when given, is called
 * with every element (the root first, then in document order) as the bounded walk passes it, so a caller can
 * gather what it checks without walking the tree again; it should collect, not throw (the walk's own limits
 * keep their precedence only for elements not yet visited). Returns the document.
 */
export function parseHostileXml(text: string, options: { allowComments: boolean; limits?: XmlLimits; visit?: (element: Element) => void }): Document {
  const limits = options.limits ?? DEFAULT_XML_LIMITS;
  const visit = options.visit;
  if (/<!DOCTYPE/i.test(text)) throw new XmlHygieneError('doctype', 'the XML has a DOCTYPE');
  if (/<!ENTITY/i.test(text)) throw new XmlHygieneError('entity', 'the XML declares an entity');
  const declaration = /^\s*<\?xml\s[^>]*encoding\s*=\s*["']([^"']*)["']/i.exec(text);
  if (declaration && !/^utf-?8$/i.test(declaration[1] ?? '')) throw new XmlHygieneError('encoding', 'the XML declares an encoding other than UTF-8');
  let problem: string | undefined;
  const record = (message: unknown) => {
    problem ??= String(message).slice(0, 200);
  };
  let document: Document;
  try {
    document = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (error) {
    throw new XmlHygieneError('malformed_xml', `the XML does not parse: ${String((error as Error).message).slice(0, 200)}`);
  }
  if (problem !== undefined) throw new XmlHygieneError('malformed_xml', `the XML does not parse: ${problem}`);
  const roots = Array.from(document.childNodes).filter((n) => n.nodeType === ELEMENT_NODE);
  if (roots.length !== 1 || !document.documentElement) throw new XmlHygieneError('multiple_roots', 'the XML must have exactly one root element');
  // iterative walk: a hostile depth cannot overflow the stack here
  let elements = 0;
  const stack: [Node, number][] = [[document.documentElement, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.nodeType === COMMENT_NODE || node.nodeType === PROCESSING_INSTRUCTION_NODE) {
      if (!options.allowComments) throw new XmlHygieneError('comment_or_pi', 'the XML contains a comment or processing instruction');
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    elements++;
    if (depth > limits.maxDepth) throw new XmlHygieneError('too_deep', `the XML is nested deeper than ${limits.maxDepth} levels`);
    if (elements > limits.maxElements) throw new XmlHygieneError('too_many_elements', `the XML has more than ${limits.maxElements} elements`);
    if (((node as Element).attributes?.length ?? 0) > limits.maxAttributesPerElement) throw new XmlHygieneError('too_many_attributes', 'an XML element has too many attributes');
    visit?.(node as Element);
    // pushed last child first, so elements are visited in document order
    for (let child = node.lastChild; child !== null; child = child.previousSibling) stack.push([child, depth + 1]);
  }
  return document;
}

/** Direct element children of `parent` with the namespace and local name. */
export function childElements(parent: Node, namespace: string, localName: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (n): n is Element => n.nodeType === ELEMENT_NODE && (n as Element).namespaceURI === namespace && (n as Element).localName === localName,
  );
}

/** Every descendant element with the local name, in any namespace (for "no X anywhere else" checks). */
export function descendantsByLocalName(root: Node, localName: string): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType !== ELEMENT_NODE) continue;
      if ((child as Element).localName === localName) out.push(child as Element);
      stack.push(child);
    }
  }
  return out;
}

/** The text content of an element, trimmed. */
export function textOf(element: Element | undefined): string {
  return (element?.textContent ?? '').trim();
}

export const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;
