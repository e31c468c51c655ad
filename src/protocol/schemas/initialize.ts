import * as z from 'zod';

export const ClientInfo = z.object({
  name: z.string(),
  title: z.string().nullish(),
  version: z.string(),
});

export const InitializeCapabilities = z.object({
  experimentalApi: z.boolean().optional(),
  optOutNotificationMethods: z.array(z.string()).nullish(),
});

export const InitializeParams = z.object({
  clientInfo: ClientInfo,
  capabilities: InitializeCapabilities.nullish(),
});

export const InitializeResponse = z.object({
  userAgent: z.string(),
  codexHome: z.string(),
  platformFamily: z.string(),
  platformOs: z.string(),
});
