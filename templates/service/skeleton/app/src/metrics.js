// A minimal Prometheus registry: a request counter and a latency histogram, written in the text
// exposition format. Enough for dashboards; the canary analysis itself uses Istio's metrics.
'use strict';

const BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Metrics {
  constructor() {
    this.requests = new Map(); // "method code" -> count
    this.buckets = BUCKETS_SECONDS.map(() => 0);
    this.count = 0;
    this.sum = 0;
  }

  observe(method, code, seconds) {
    const key = `${method} ${code}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    BUCKETS_SECONDS.forEach((bound, i) => {
      if (seconds <= bound) this.buckets[i] += 1;
    });
    this.count += 1;
    this.sum += seconds;
  }

  render() {
    const lines = [
      '# HELP http_requests_total HTTP requests served.',
      '# TYPE http_requests_total counter',
    ];
    for (const [key, value] of [...this.requests].sort()) {
      const [method, code] = key.split(' ');
      lines.push(`http_requests_total{method="${method}",code="${code}"} ${value}`);
    }
    lines.push(
      '# HELP http_request_duration_seconds Time to serve HTTP requests.',
      '# TYPE http_request_duration_seconds histogram',
    );
    BUCKETS_SECONDS.forEach((bound, i) => {
      lines.push(`http_request_duration_seconds_bucket{le="${bound}"} ${this.buckets[i]}`);
    });
    lines.push(`http_request_duration_seconds_bucket{le="+Inf"} ${this.count}`);
    lines.push(`http_request_duration_seconds_sum ${this.sum}`);
    lines.push(`http_request_duration_seconds_count ${this.count}`);
    return `${lines.join('\n')}\n`;
  }
}

module.exports = { Metrics };
