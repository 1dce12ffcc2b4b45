import { createRequire } from "node:module";
import { configVariable, defineConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";

const require = createRequire(import.meta.url);

// The compiler is the wasm build shipped in the `solc` npm package: nothing is downloaded at build time.
const solc = {
  version: "0.8.37",
  path: require.resolve("solc/soljson.js"),
  settings: { evmVersion: "osaka", optimizer: { enabled: true, runs: 200 } },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: { ...solc },
      production: { ...solc, isolated: false, settings: { ...solc.settings, viaIR: true } },
    },
  },
  paths: { ignition: "deploy" },
  networks: {
    localhost: { type: "http", url: "http://127.0.0.1:8545" },
    // The network `npm start` deploys to (the embedded node, or a consortium's RPC): URL and key from the environment.
    drl: { type: "http", url: configVariable("DRL_RPC_URL"), accounts: [configVariable("DRL_DEPLOYER_KEY")] },
  },
  test: {
    solidity: {
      profiles: {
        default: { fuzz: { runs: 1000, seed: "0x5eed" }, invariant: { runs: 64, depth: 32, failOnRevert: false } },
        deep: { fuzz: { runs: 10000 }, invariant: { runs: 512, depth: 64, failOnRevert: false } },
      },
    },
  },
});
