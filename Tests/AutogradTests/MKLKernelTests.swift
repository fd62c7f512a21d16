@testable import Autograd
import XCTest

/// Which MKL kernel a CPU runs, and the summation order `mm` follows for each.
final class MKLKernelTests: XCTestCase {
    private let avx512Flags = "flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl\n"

    func testOnlyAnIntelCPUWithAVX512TakesTheAVX512Kernel() {
        let intel = "vendor_id\t: GenuineIntel\n" + avx512Flags
        XCTAssertEqual(MKLKernel(cpuinfo: intel, environment: [:]), .intelAVX512)
        XCTAssertEqual(MKLKernel(cpuinfo: "vendor_id\t: AuthenticAMD\n" + avx512Flags, environment: [:]), .other)
        XCTAssertEqual(MKLKernel(cpuinfo: "vendor_id\t: GenuineIntel\nflags\t\t: avx avx2 fma\n", environment: [:]), .other)
        XCTAssertEqual(MKLKernel(cpuinfo: "", environment: [:]), .other)
    }

    func testMKLEnableInstructionsLowersTheKernel() {
        let intel = "vendor_id\t: GenuineIntel\n" + avx512Flags
        XCTAssertEqual(MKLKernel(cpuinfo: intel, environment: ["MKL_ENABLE_INSTRUCTIONS": "AVX2"]), .other)
        XCTAssertEqual(MKLKernel(cpuinfo: intel, environment: ["MKL_ENABLE_INSTRUCTIONS": "AVX512"]), .intelAVX512)
        XCTAssertEqual(MKLKernel(cpuinfo: intel, environment: ["MKL_ENABLE_INSTRUCTIONS": "AVX512_E1"]), .intelAVX512)
    }

    /// `torch.mm` of these float32 values printed 1.266613245010376 on an AMD EPYC (torch 2.13):
    /// rounded products summed in order. Intel's AVX-512 kernel fuses each multiply-add instead.
    func testEachKernelSumsInItsOwnOrder() throws {
        let rt = Runtime()
        let a = try rt.floats([0.447927862405777, -0.6088235378265381, 0.23894619941711426]).view([1, 3])
        let b = try rt.floats([0.4698884189128876, -1.9540048837661743, -0.5587331056594849]).view([3, 1])
        XCTAssertEqual(Kernel.mm(a, b, kernel: .other).values, [1.266613245010376])
        XCTAssertEqual(Kernel.mm(a, b, kernel: .intelAVX512).values, [1.2666131258010864])
    }
}
