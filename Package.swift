// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "atoms-tui",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "atoms-tui", targets: ["atoms-tui"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // Wire types shared by the client and the simulator. Foundation only.
        .target(name: "AtomsModels"),
        // The shared client: transport, typed endpoints, errors, retries, lifecycle operations.
        .target(name: "AtomsClient", dependencies: [
            "AtomsModels",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // A faithful local Atoms API: store + rules, SQLite persistence, Hummingbird HTTP layer.
        .target(name: "AtomsSimulator", dependencies: [
            "AtomsModels",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Pure TUI core: state, messages, effects, update, render. No I/O, no curses.
        .target(name: "TUICore", dependencies: ["AtomsModels"]),
        // ncurses system library (wide-char). Only Terminal imports it.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // Terminal: the only user of CNcurses.
        .target(name: "Terminal", dependencies: ["CNcurses", "TUICore"]),
        // Releases the loaded objects' relocation tables (read once before main) from the resident set.
        .target(name: "CStartupPages"),
        // Event loop and effect runner binding TUICore to the client and the terminal.
        .target(name: "Runtime", dependencies: [
            "TUICore", "Terminal", "AtomsClient", "AtomsSimulator", "AtomsModels", "CStartupPages",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The executable: TUI by default, CLI subcommands, `sim serve`.
        .executableTarget(name: "atoms-tui", dependencies: [
            "Runtime", "AtomsClient", "AtomsSimulator", "AtomsModels", "TUICore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // In-process TUI benchmarks (scripts/bench.py runs it in release).
        // `atoms-bench health` / `call-fetch`: release-health statistics and the call-log reader.
        .executableTarget(name: "atoms-bench", dependencies: ["TUICore", "AtomsModels", "AtomsClient"]),
        // Fuzz targets (config parser + validator, response decoders): libFuzzer via scripts/fuzz.sh,
        // corpus replay and a bounded random campaign in ReliabilityTests.
        .target(name: "AtomsFuzzTargets", dependencies: ["AtomsClient", "AtomsModels"]),
        .testTarget(name: "AtomsModelsTests", dependencies: ["AtomsModels"]),
        .testTarget(name: "AtomsSimulatorTests", dependencies: ["AtomsSimulator", "AtomsModels"]),
        // Also the Runtime's effect steps (edit, rebase) against the same in-process simulator.
        .testTarget(name: "AtomsClientTests", dependencies: ["AtomsClient", "AtomsSimulator", "AtomsModels", "Runtime", "TUICore"]),
        .testTarget(name: "TUICoreTests", dependencies: ["TUICore", "Terminal", "AtomsModels", "TestSupport"], exclude: ["Golden"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "E2ETests", dependencies: ["TestSupport"]),
        // Faults, kills, hostile text, malformed answers, secrets (docs/reliability.md).
        .testTarget(name: "ReliabilityTests", dependencies: [
            "TestSupport", "AtomsSimulator", "AtomsClient", "AtomsModels", "TUICore", "AtomsFuzzTargets",
        ], exclude: ["Golden"]),
        // The simulator's answers and the spec's example responses against the official OpenAPI spec
        // (runs scripts/conformance/check.py; needs python3 + scripts/conformance/requirements.txt).
        .testTarget(name: "SpecConformanceTests", dependencies: [
            "AtomsClient", "AtomsModels", .product(name: "Yams", package: "Yams"),
        ]),
    ]
)
