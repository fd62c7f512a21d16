import Foundation

/// Which of MKL's float matrix-product kernels PyTorch's `mm`/`addmm` runs on this machine, which
/// decides the order, and so the last bit, of every dot product it computes.
///
/// MKL takes its AVX-512 kernels only on Intel CPUs with AVX-512 (the fixtures were recorded on
/// one): each dot product accumulates with fused multiply-adds. On other CPUs it takes another
/// path: measured on an AMD EPYC with AVX-512 (torch 2.13, MKL 2024.2), every
/// `MKL_ENABLE_INSTRUCTIONS` level gives the same results, a sequential sum of rounded products.
/// `MKL_ENABLE_INSTRUCTIONS` set below `AVX512` keeps an Intel CPU off its AVX-512 kernels too.
public enum MKLKernel: String, Sendable {
    /// Intel CPU with AVX-512: fused multiply-adds, and a 16-lane tree for short transposed rows.
    case intelAVX512 = "intel_avx512"
    /// Any other CPU, or MKL limited below AVX-512: rounded products summed in order.
    case other = "other"

    /// The kernel of this process's machine, read once from /proc/cpuinfo and the environment.
    public static let current = MKLKernel(
        cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "",
        environment: ProcessInfo.processInfo.environment)

    /// The kernel MKL picks for a CPU described by `cpuinfo` (the text of /proc/cpuinfo) under
    /// `environment` (`MKL_ENABLE_INSTRUCTIONS` may lower, never raise, the instruction set).
    public init(cpuinfo: String, environment: [String: String]) {
        let firstCPU = cpuinfo.components(separatedBy: "\n\n").first ?? ""
        var fields: [String: String] = [:]
        for line in firstCPU.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
        let hasAVX512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
        let limit = environment["MKL_ENABLE_INSTRUCTIONS"]?.uppercased()
        let allowsAVX512 = limit.map { $0.hasPrefix("AVX512") || $0.hasPrefix("AVX10") } ?? true
        self = fields["vendor_id"] == "GenuineIntel" && hasAVX512 && allowsAVX512 ? .intelAVX512 : .other
    }
}
