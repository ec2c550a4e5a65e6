/** A catalog entry of JumpCloud's SSO application templates (the `name` key of an application). */
export interface AppTemplate {
  name: string;
  displayName: string;
  learnMore: string;
  logoUrl: string;
}

const LOGO_BASE = 'https://s3.amazonaws.com/static.jumpcloud.com/applications/logos';
const ARTICLE_BASE = 'https://support.jumpcloud.com/support/s/article';

function template(name: string, displayName: string, article: string | null): AppTemplate {
  return {
    name,
    displayName,
    learnMore: article === null ? '' : `${ARTICLE_BASE}/${article}`,
    logoUrl: `${LOGO_BASE}/application-icon-${name}.png`,
  };
}

/**
 * The templates the simulator knows. The aws-sso entry is as recorded; the others follow the same URL
 * patterns. "custom-saml-app" stands for JumpCloud's "Custom SAML App" — its real template key was not
 * found in any source (an assumption; any other key works too, see templateFor).
 */
export const APP_TEMPLATES: readonly AppTemplate[] = [
  template('aws-sso', 'AWS SSO', 'Single-Sign-On-SSO-With-AWS-SSO'),
  template('slack', 'Slack', 'Single-Sign-On-SSO-With-Slack'),
  template('salesforce', 'Salesforce', 'Single-Sign-On-SSO-With-Salesforce'),
  template('zoom', 'Zoom', 'Single-Sign-On-SSO-With-Zoom'),
  template('github', 'GitHub', 'Single-Sign-On-SSO-With-GitHub'),
  template('custom-saml-app', 'Custom SAML App', null),
];

/** The template with this key; an unknown key gets a generic entry named after it. */
export function templateFor(name: string): AppTemplate {
  return APP_TEMPLATES.find((t) => t.name === name) ?? template(name, name, null);
}
