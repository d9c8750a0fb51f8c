// The --otlp endpoint: an http(s) URL; a bare base URL gets the OTLP metrics path.
import { InvalidArgumentError } from 'commander';

// The OTLP/HTTP metrics path appended to a base URL.
export const OTLP_METRICS_PATH = '/v1/metrics';

// "http://127.0.0.1:4318" -> "http://127.0.0.1:4318/v1/metrics"; a URL with a path is kept as given.
export function parseOtlpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL (e.g. http://127.0.0.1:4318).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`${url.protocol.replace(/:$/, '')} is not supported: OTLP/HTTP needs http:// or https://.`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = OTLP_METRICS_PATH;
  return url.toString();
}
