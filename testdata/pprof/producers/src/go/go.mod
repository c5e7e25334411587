module perfkit.test/producers

go 1.19
