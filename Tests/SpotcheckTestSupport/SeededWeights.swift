import Foundation

/// Random network weights that tests and scripts/fixtures/resnet_fixtures.py make identically
/// without sharing a file: per tensor, SplitMix64 seeded by FNV-1a-64 of its key, 24 random bits
/// per value mapped to `center + half · m`, `m` in [−1, 1) (the script's docstring is the
/// specification; its JSON records the first values and sums to check that both agree).
public enum SeededWeights {
    /// The base seed of the committed references.
    public static let baseSeed: UInt64 = 0x5EED_2026_0019

    /// One tensor's values.
    /// - Parameters:
    ///   - key: the state-dict key (it seeds the stream).
    ///   - shape: the tensor's shape (it selects the range and the count).
    ///   - seed: the base seed.
    ///   - gain: the factor of the convolutions' (4-D tensors') range (1 unless a fixture script says otherwise).
    /// - Returns: `shape.reduce(1, *)` float32 values in C order.
    public static func values(key: String, shape: [Int], seed: UInt64 = baseSeed, gain: Double = 1) -> [Float] {
        values(key: key, count: shape.reduce(1, *), range: range(key: key, shape: shape, gain: gain), seed: seed)
    }

    /// One Keras weight's values: the same stream keyed by the Keras weight path
    /// (`block1_conv1/kernel`), with Keras' layouts' ranges (scripts/fixtures/keras_fixtures.py):
    /// kernels (HWIO, IO; fan_in the product of all dimensions but the last, k·k for a `DepthwiseConv2D`
    /// layer's `conv_dw_k/kernel` or `…dwconv/kernel`) (0, √(6/fan_in)) when
    /// 4-D and (0, 1/√fan_in) when 2-D; 1-D `…/gamma`, `…/moving_variance`, `…/variance` (1, 0.5); other
    /// 1-D (0, 0.1); a scalar (the integer count of a `Normalization`) 0.
    /// - Parameters:
    ///   - key: the weight path.
    ///   - shape: the weight's Keras shape.
    ///   - projectGain: the factor of an EfficientNet `…project_conv/kernel`'s range (the fixture's
    ///     `project_conv_gain`, 1 when it records none).
    /// - Returns: `shape.reduce(1, *)` float32 values in C order.
    public static func kerasValues(key: String, shape: [Int], projectGain: Double = 1) -> [Float] {
        // A scalar is a `Normalization` layer's integer sample count, which the generator leaves at 0.
        guard !shape.isEmpty else { return [0] }
        let range: (Float, Float)
        switch shape.count {
        case 1:
            let positive = ["/gamma", "/moving_variance", "/variance"].contains { key.hasSuffix($0) }
            range = positive ? (1, 0.5) : (0, 0.1)
        case 2: range = (0, Float(1 / Double(shape[0]).squareRoot()))
        default:
            // A `DepthwiseConv2D` kernel (MobileNet's `conv_dw_k`, EfficientNet's `…dwconv`) sees k·k inputs.
            let layer = key.hasSuffix("/kernel") ? String(key.dropLast("/kernel".count)) : nil
            let depthwise = layer.map { $0.hasPrefix("conv_dw_") || $0.hasSuffix("dwconv") } ?? false
            let fanIn = depthwise ? shape.prefix(2).reduce(1, *) : shape.dropLast().reduce(1, *)
            let gain = key.hasSuffix("project_conv/kernel") ? projectGain : 1
            range = (0, Float(gain * (6 / Double(fanIn)).squareRoot()))
        }
        return values(key: key, count: shape.reduce(1, *), range: range, seed: baseSeed)
    }

    /// `count` values of the stream of `key`, mapped to `center ± half`.
    private static func values(key: String, count: Int, range: (Float, Float), seed: UInt64) -> [Float] {
        let (center, half) = range
        let stream = fnv1a64(key) ^ seed
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            var z = stream &+ UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let m = Double(z >> 40) * 0x1p-23 - 1
            values[i] = Float(Double(center) + Double(half) * m)
        }
        return values
    }

    /// The generator's (center, half width) of a tensor, rounded to float32.
    static func range(key: String, shape: [Int], gain: Double) -> (Float, Float) {
        switch shape.count {
        case 1:
            return key.hasSuffix(".running_var") || key.hasSuffix(".weight") ? (1, 0.5) : (0, 0.1)
        case 2:
            return (0, Float(1 / Double(shape[1]).squareRoot()))
        default:
            return (0, Float(gain * (6 / Double(shape.dropFirst().reduce(1, *))).squareRoot()))
        }
    }

    /// FNV-1a, 64 bits, of the UTF-8 bytes.
    static func fnv1a64(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    /// Writes tensors as a safetensors file (F32, little-endian), the format every checkpoint
    /// reader of the project accepts besides PyTorch's own.
    /// - Parameters:
    ///   - tensors: key, shape and values, in file order.
    ///   - url: the file to write.
    /// - Throws: when the file cannot be written.
    public static func writeSafetensors(_ tensors: [(key: String, shape: [Int], values: [Float])], to url: URL) throws {
        var header = [String]()
        var offset = 0
        for tensor in tensors {
            let end = offset + 4 * tensor.values.count
            header.append("\"\(tensor.key)\":{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                          + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var json = Array("{\(header.joined(separator: ","))}".utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var data = Data()
        data.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: json)
        for tensor in tensors {
            tensor.values.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        try data.write(to: url)
    }
}
