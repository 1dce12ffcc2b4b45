/** The enum mirrors live with the domain code; tests import them from here. */
export * from "../../src/domain/enums.js";
