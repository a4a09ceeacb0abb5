#if canImport(Glibc)
import Glibc
#endif

/// Parses one decimal number from CSV bytes to the correctly rounded `Float`, without
/// allocating: digits are gathered into a 64-bit integer and scaled by an exact power of ten
/// (Clinger's fast path, exact when the integer and the power are exact doubles). The double
/// is then rounded to `Float`; that second rounding is only wrong when the double sits exactly
/// halfway between two floats, which is detected from its bits (float subnormals take the slow
/// path). Every other case — more than 19 significant
/// digits, large exponents, halfway cases — goes to glibc's correctly rounded `strtof`.
enum FloatFieldParser {
    /// The result of parsing one field.
    enum Outcome {
        /// A finite number.
        case value(Float)
        /// Not a decimal number.
        case notANumber
        /// NaN, an infinity, or a number beyond `Float`'s range.
        case nonFinite
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses the number that starts at `cursor` (after optional blanks), stopping at the first
    /// byte that cannot continue it; blanks after the number are skipped too.
    /// - Parameters:
    ///   - cursor: in: the field's first byte; out: the first byte after the number and blanks.
    ///   - end: the end of the line.
    /// - Returns: the value, or why the bytes are not a finite number (then `cursor` is unspecified).
    @inline(__always)
    static func parse(_ cursor: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Outcome {
        var p = cursor
        while p < end, p.pointee == 0x20 || p.pointee == 0x09 { p += 1 }
        let begin = p
        var negative = false
        if p < end, p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
            negative = p.pointee == UInt8(ascii: "-")
            p += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var inexact = false
        var sawDigit = false
        while p < end {
            let digit = p.pointee &- 48
            guard digit < 10 else { break }
            sawDigit = true
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1
                inexact = inexact || digit != 0
            }
            p += 1
        }
        if p < end, p.pointee == UInt8(ascii: ".") {
            p += 1
            while p < end {
                let digit = p.pointee &- 48
                guard digit < 10 else { break }
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else {
                    inexact = inexact || digit != 0
                }
                p += 1
            }
        }
        guard sawDigit else { return nonNumericWord(begin, end) }
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
            p += 1
            var exponentNegative = false
            if p < end, p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
                exponentNegative = p.pointee == UInt8(ascii: "-")
                p += 1
            }
            var value = 0
            var sawExponentDigit = false
            while p < end {
                let digit = p.pointee &- 48
                guard digit < 10 else { break }
                sawExponentDigit = true
                if value < 100_000 { value = value * 10 + Int(digit) }
                p += 1
            }
            guard sawExponentDigit else { return .notANumber }
            exponent += exponentNegative ? -value : value
        }
        let numberEnd = p
        while p < end, p.pointee == 0x20 || p.pointee == 0x09 { p += 1 }
        cursor = p
        if mantissa == 0 { return .value(negative ? -0.0 : 0.0) }
        if !inexact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let scale = powersOfTen[exponent < 0 ? -exponent : exponent]
            let exact = exponent < 0 ? Double(mantissa) / scale : Double(mantissa) * scale
            // For a double in float's normal range, the 29 low mantissa bits are what rounding
            // to float drops; exactly 1 followed by 28 zeros marks a halfway point.
            if exact >= Double(Float.leastNormalMagnitude), exact.bitPattern & 0x1FFF_FFFF != 0x1000_0000 {
                let rounded = Float(exact)
                guard rounded.isFinite else { return .nonFinite }
                return .value(negative ? -rounded : rounded)
            }
        }
        return slowPath(begin, numberEnd)
    }

    /// `strtof` on a NUL-terminated copy of the number's bytes.
    private static func slowPath(_ begin: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Outcome {
        let count = end - begin
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { text in
            guard let base = text.baseAddress else { return .notANumber }
            begin.withMemoryRebound(to: CChar.self, capacity: count) { base.update(from: $0, count: count) }
            base[count] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtof(base, &stop)
            guard stop == base + count else { return .notANumber }
            return value.isFinite ? .value(value) : .nonFinite
        }
    }

    /// Tells a spelled-out NaN or infinity (which `strtof` would accept) from other words.
    private static func nonNumericWord(_ begin: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Outcome {
        var p = begin
        if p < end, p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") { p += 1 }
        var word: [UInt8] = []
        while p < end, word.count < 9, (p.pointee | 0x20) >= UInt8(ascii: "a"), (p.pointee | 0x20) <= UInt8(ascii: "z") {
            word.append(p.pointee | 0x20)
            p += 1
        }
        while p < end, p.pointee == 0x20 || p.pointee == 0x09 { p += 1 }
        let atFieldEnd = p == end || p.pointee == UInt8(ascii: ",")
        let spelled = String(decoding: word, as: UTF8.self)
        return atFieldEnd && ["nan", "inf", "infinity"].contains(spelled) ? .nonFinite : .notANumber
    }
}
