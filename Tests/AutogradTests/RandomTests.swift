import Autograd
import XCTest

/// `torch.manual_seed` streams and `nn.Linear` initialisation against torch 2.13 on CPU.
final class RandomTests: XCTestCase {
    func testRandMatchesPyTorch() throws {
        let rt = Runtime()
        rt.manualSeed(0)
        XCTAssertEqual(try rt.rand([3]).values, [0.49625658988952637, 0.7682217955589294, 0.08847743272781372])
        XCTAssertEqual(try rt.rand([2], dtype: .float64).values, [0.0562441839043476, 0.07262971157225484])
    }

    func testRandnMatchesPyTorch() throws {
        let rt = Runtime()
        rt.manualSeed(0)
        XCTAssertEqual(try rt.randn([3]).values, [1.5409960746765137, -0.293428897857666, -2.1787893772125244])
        rt.manualSeed(3)
        XCTAssertEqual(try rt.randn([5], dtype: .float64).values,
                       [0.8032760780963507, 0.17483339327910358, 0.08897809502587893, -0.6137180077293578, 0.04618245168476012])
        rt.manualSeed(0)
        XCTAssertEqual(Array(try rt.randn([20]).values.prefix(3)), [-1.1258398294448853, -1.152360200881958, -0.2505785822868347])
        rt.manualSeed(5)
        XCTAssertEqual(Array(try rt.randn([37]).values.suffix(3)), [-0.1777045875787735, 0.4313727617263794, 1.2417020797729492])
    }

    func testLinearInitialisation() throws {
        let rt = Runtime()
        rt.manualSeed(0)
        let layer = try Linear(rt, inFeatures: 3, outFeatures: 2)
        XCTAssertEqual(layer.weight.values, [-0.004322517663240433, 0.3097158372402191, -0.4751853346824646,
                                             -0.4248946011066437, -0.2223689705133438, 0.15482072532176971])
        XCTAssertEqual(layer.bias?.values, [-0.011439144611358643, 0.45777493715286255])
        XCTAssertEqual([layer.weight.version, layer.bias!.version], [1, 1])
        XCTAssertTrue(layer.weight.isParameter && layer.weight.isLeaf && layer.weight.requiresGrad)
    }
}

/// The generator keeps the second Box-Muller sample across `randn` calls.
final class NormalCacheTests: XCTestCase {
    func testCachedSampleCarriesOver() throws {
        let rt = Runtime()
        rt.manualSeed(0)
        _ = try rt.randn([15])
        XCTAssertEqual(try rt.randn([3]).values, [0.1227012425661087, -0.5663174986839294, 0.3731146454811096])
    }

    func testDoubleVectorPath() throws {
        let rt = Runtime()
        rt.manualSeed(0)
        XCTAssertEqual(Array(try rt.randn([20], dtype: .float64).values.prefix(3)),
                       [-2.310411800234176, -0.3732508612577643, -1.0608166785462863])
    }
}
