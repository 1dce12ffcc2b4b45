import type { HandlerMap } from "../context.js";
import { grantHandlers } from "./grants.js";
import { memberHandlers } from "./members.js";
import { resourceHandlers } from "./resources.js";
import { traceHandlers } from "./trace.js";
import { conditionHandlers } from "./conditions.js";
import { productHandlers } from "./products.js";
import { admissionHandlers } from "./admission.js";
import { marketHandlers } from "./market.js";
import { supervisionHandlers } from "./supervision.js";

/** Every event's handler, one file per registry. An event without a handler is only kept raw. */
export const HANDLERS: HandlerMap = { ...memberHandlers, ...resourceHandlers, ...grantHandlers, ...conditionHandlers, ...productHandlers, ...admissionHandlers, ...marketHandlers, ...supervisionHandlers, ...traceHandlers };
