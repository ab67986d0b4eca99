/** The delivery-metrics query: the window of history from the store's time index, then the pure computation. */
import { getService } from '../config/load';
import type { MetricsQuery } from './api';
import { invalidInput } from './change/results';
import type { EngineContext } from './context';
import { computeDeliveryMetrics, MAX_WEEKS, metricsWindow, type DeliveryMetrics } from './metrics';

/**
 * @throws CodedError `invalid_input` for a number of weeks outside 1–52, `unknown_service` for a
 * service not configured; `store_error` when the store does not answer.
 */
export async function deliveryMetrics(ctx: EngineContext, query: MetricsQuery): Promise<DeliveryMetrics> {
  const { weeks } = query;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS)
    throw invalidInput(`weeks must be a whole number from 1 to ${MAX_WEEKS}`);
  const configured = Object.keys(ctx.config.services);
  const services = query.service !== undefined ? [query.service] : (query.services ?? configured);
  for (const name of services) getService(ctx.config, name);
  const now = ctx.clock.now();
  // All services: one range on the by-time index; some: one range per service.
  const everyService = query.service === undefined && services.length === configured.length;
  const changes = await ctx.store.changesBetween({
    ...metricsWindow(weeks, now),
    ...(everyService ? {} : { services }),
  });
  return computeDeliveryMetrics(changes, { service: query.service ?? null, services, weeks, now });
}
