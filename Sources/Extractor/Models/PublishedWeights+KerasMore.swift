extension PublishedReleases {
    /// The Keras applications whose files do not follow the `…_weights_tf_dim_ordering_tf_kernels`
    /// pattern of ``keras``, or come from another folder: DenseNet (`densenet/`), MobileNet
    /// (`mobilenet/`, published without a digest) and EfficientNet (`keras-applications/`, another
    /// bucket), as Keras 3.15's applications download them.
    static let moreKeras: [String: [PublishedWeights]] = {
        let bucket = "https://storage.googleapis.com/tensorflow/keras-applications/"
        func pair(_ base: String, notop: String, _ notopDigest: PublishedWeights.Digest, full: String,
                  _ fullDigest: PublishedWeights.Digest) -> [PublishedWeights] {
            [PublishedWeights(file: notop, url: base + notop, release: "notop", isRecommended: true, digest: notopDigest),
             PublishedWeights(file: full, url: base + full, release: "full (with the classifier)", isRecommended: false,
                              digest: fullDigest)]
        }
        var tables = [String: [PublishedWeights]]()
        for (name, full, notop) in [("densenet121", "9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
                                    ("densenet169", "d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
                                    ("densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1")] {
            let stem = "\(name)_weights_tf_dim_ordering_tf_kernels"
            tables["keras_\(name)"] = pair(bucket + "densenet/", notop: "\(stem)_notop.h5", .md5(notop), full: "\(stem).h5",
                                           .md5(full))
        }
        tables["keras_mobilenet"] = pair(bucket + "mobilenet/", notop: "mobilenet_1_0_224_tf_no_top.h5", .unpublished,
                                         full: "mobilenet_1_0_224_tf.h5", .unpublished)
        let efficientNets = [("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
                             ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
                             ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
                             ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
                             ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
                             ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
                             ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
                             ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a")]
        for (member, (full, notop)) in efficientNets.enumerated() {
            tables["keras_efficientnetb\(member)"] = pair(
                "https://storage.googleapis.com/keras-applications/", notop: "efficientnetb\(member)_notop.h5", .md5(notop),
                full: "efficientnetb\(member).h5", .md5(full))
        }
        return tables
    }()
}
