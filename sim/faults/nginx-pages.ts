/**
 * The HTML page nginx (JumpCloud's front, per the recorded `server: nginx` header) answers with when it
 * produces an error itself, which is what a 502 or 503 from the gateway looks like.
 */
export function nginxErrorPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
